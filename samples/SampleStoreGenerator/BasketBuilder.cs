namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// Fills one sale: usually a mission (a bundle), then impulse picks weighted by popularity and season,
/// part of them from the customer's favourite department, a staple now and then, and one-way add-ons.
/// </summary>
internal sealed class BasketBuilder
{
    private const double MissionChance = 0.66;
    private const double SecondMissionChance = 0.12;
    private const double MoreExtrasChance = 0.5;
    private const double FavouriteCategoryChance = 0.35;
    private const double StapleChance = 0.22;

    private readonly Catalogue _catalogue;
    private readonly CoPurchasePlan _plan;
    private readonly double[][] _productsByMonth;
    private readonly double[][][] _categoryByMonth;
    private readonly double[][] _bundlesByMonth;
    private readonly List<Complement>[] _complementsOf;

    public BasketBuilder(Catalogue catalogue, CoPurchasePlan plan)
    {
        _catalogue = catalogue;
        _plan = plan;
        // Squared popularity gives a long tail: a best seller (10) is picked 100 times as often as a niche item (1).
        _productsByMonth = ByMonth(m => Cumulative(catalogue.Products, p => p.Popularity * p.Popularity * SalesCalendar.SeasonFactor(p.Season, m)));
        _categoryByMonth = ByMonth(m => catalogue.ByCategory
            .Select(c => Cumulative(c, p => p.Popularity * p.Popularity * SalesCalendar.SeasonFactor(p.Season, m)))
            .ToArray());
        _bundlesByMonth = ByMonth(m => Cumulative(plan.Bundles, b => b.Weight * SalesCalendar.SeasonFactor(b.Season, m)));
        _complementsOf = new List<Complement>[catalogue.Products.Count];
        foreach (var complement in plan.Complements)
        {
            (_complementsOf[complement.Item.Index] ??= []).Add(complement);
        }
    }

    public List<InvoiceLine> Build(SeededRandom random, Customer? customer, int day)
    {
        var month = SalesCalendar.MonthOf(day);
        var picked = new List<Product>(8);
        var bulk = customer?.Segment == CustomerSegment.HighSpender;

        var missions = random.Chance(MissionChance) ? (random.Chance(SecondMissionChance) ? 2 : 1) : 0;
        for (var i = 0; i < missions; i++)
        {
            var bundle = _plan.Bundles[random.PickCumulative(_bundlesByMonth[month])];
            var anchor = random.Next(bundle.Members.Count);
            for (var m = 0; m < bundle.Members.Count; m++)
            {
                if (m == anchor || random.Chance(bundle.Cohesion))
                {
                    Add(picked, bundle.Members[m]);
                }
            }
        }

        var extras = missions == 0 ? 1 : 0;
        while (extras < 12 && random.Chance(MoreExtrasChance))
        {
            extras++;
        }

        if (bulk)
        {
            extras += random.Between(2, 6);
        }

        for (var i = 0; i < extras; i++)
        {
            var fromFavourite = customer is not null && random.Chance(FavouriteCategoryChance);
            var product = fromFavourite
                ? _catalogue.ByCategory[customer!.FavouriteCategory][random.PickCumulative(_categoryByMonth[month][customer.FavouriteCategory])]
                : _catalogue.Products[random.PickCumulative(_productsByMonth[month])];
            Add(picked, product);
        }

        if (customer is not null && random.Chance(StapleChance))
        {
            Add(picked, customer.Staple);
        }

        var chosen = picked.Count;
        for (var i = 0; i < chosen; i++)
        {
            foreach (var complement in _complementsOf[picked[i].Index] ?? [])
            {
                if (random.Chance(complement.Chance))
                {
                    Add(picked, complement.AddOn);
                }
            }
        }

        var lines = new List<InvoiceLine>(picked.Count);
        foreach (var product in picked)
        {
            lines.Add(new InvoiceLine(product, Quantity(random, product, bulk), product.PriceCents));
        }

        return lines;
    }

    // Cheap items go by the handful (and by the dozen for trade buyers); dear ones one at a time.
    private static int Quantity(SeededRandom random, Product product, bool bulk)
    {
        ReadOnlySpan<int> cheap = [1, 1, 1, 1, 2, 2, 2, 3, 4, 6, 6, 12];
        ReadOnlySpan<int> middle = [1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 6];
        ReadOnlySpan<int> dear = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3];
        ReadOnlySpan<int> trade = [2, 3, 4, 6, 6, 12, 12, 24];
        ReadOnlySpan<int> tradeDear = [1, 2, 2, 3, 4, 6];
        var choices = (bulk, product.PriceCents) switch
        {
            (true, < 1000) => trade,
            (true, _) => tradeDear,
            (false, < 300) => cheap,
            (false, < 1500) => middle,
            _ => dear,
        };
        return choices[random.Next(choices.Length)];
    }

    private static void Add(List<Product> picked, Product product)
    {
        // Linear search: baskets are a handful of items, and a list keeps the row order deterministic.
        if (!picked.Contains(product))
        {
            picked.Add(product);
        }
    }

    private static T[] ByMonth<T>(Func<int, T> build)
    {
        var months = new T[12];
        for (var m = 0; m < 12; m++)
        {
            months[m] = build(m);
        }

        return months;
    }

    private static double[] Cumulative<T>(IReadOnlyList<T> items, Func<T, double> weight)
    {
        var cumulative = new double[items.Count];
        var total = 0.0;
        for (var i = 0; i < items.Count; i++)
        {
            total += weight(items[i]);
            cumulative[i] = total;
        }

        return cumulative;
    }
}
