namespace Affinsy.Samples.StoreGenerator;

/// <summary>Draws the registered customers: segment mix, order counts and the window each one buys in.</summary>
internal static class CustomerBase
{
    // Share of each segment among registered customers (see samples/README.md for the reasoning).
    private static readonly (CustomerSegment Segment, double Share)[] Mix =
    [
        (CustomerSegment.OneTime, 31), (CustomerSegment.Occasional, 26), (CustomerSegment.Loyal, 16),
        (CustomerSegment.Lapsed, 13), (CustomerSegment.New, 11), (CustomerSegment.HighSpender, 3),
    ];

    // Re-bought consumables: what a customer's staple is drawn from.
    private static readonly string[] Consumables =
    [
        "Loose Leaf Tea, English Breakfast", "Loose Leaf Tea, Earl Grey", "Ground Coffee, House Blend",
        "Tea Lights, Pack of 24", "Baking Parchment Roll", "Cupcake Cases, Pack of 60", "Bird Seed Mix, 1kg",
        "Soap Bar, Oat and Honey", "Wax Melts, Vanilla", "Dish Cloths, Pack of 3", "Greeting Card, Birthday Floral",
    ];

    private const int LastDay = SalesCalendar.Days - 1;

    public static List<Customer> Draw(SeededRandom random, Catalogue catalogue, int count)
    {
        var mixCumulative = new double[Mix.Length];
        var total = 0.0;
        for (var i = 0; i < Mix.Length; i++)
        {
            total += Mix[i].Share;
            mixCumulative[i] = total;
        }

        var categoryWeights = new double[catalogue.Categories.Count];
        total = 0;
        for (var i = 0; i < categoryWeights.Length; i++)
        {
            total += catalogue.ByCategory[i].Sum(p => p.Popularity);
            categoryWeights[i] = total;
        }

        var customers = new List<Customer>(count);
        for (var index = 0; index < count; index++)
        {
            var segment = Mix[random.PickCumulative(mixCumulative)].Segment;
            var (first, last, orders) = Window(random, segment);
            customers.Add(new Customer(
                index,
                segment,
                Countries.Pick(random),
                random.PickCumulative(categoryWeights),
                catalogue[Consumables[random.Next(Consumables.Length)]],
                first,
                last,
                orders));
        }

        return customers;
    }

    private static (int First, int Last, int Orders) Window(SeededRandom random, CustomerSegment segment)
    {
        switch (segment)
        {
            case CustomerSegment.OneTime:
                return (0, LastDay - 90, 1); // a single order late in the year would make it "new" instead
            case CustomerSegment.Occasional:
                var start = random.Between(0, 240);
                return (start, Math.Min(LastDay, start + random.Between(120, 365)), random.Between(2, 4));
            case CustomerSegment.Loyal:
                return (random.Between(0, 10), random.Between(LastDay - 21, LastDay), random.Between(7, 24));
            case CustomerSegment.Lapsed:
                // Last possible order at most on day 180 (30 June): more than 180 days before 31 December.
                // A quarter were regulars who stopped: the customers RFM calls "can't lose them".
                return (0, random.Between(60, 180), random.Chance(0.25) ? random.Between(6, 14) : random.Between(1, 4));
            case CustomerSegment.New:
                return (random.Between(LastDay - 88, LastDay - 10), LastDay, random.Between(1, 3));
            case CustomerSegment.HighSpender:
                return (random.Between(0, 7), random.Between(LastDay - 14, LastDay), random.Between(8, 24));
            default:
                throw new ArgumentOutOfRangeException(nameof(segment), segment, "Unknown segment.");
        }
    }
}
