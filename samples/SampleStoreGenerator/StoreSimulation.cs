using System.Globalization;

namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// Runs the shop's year from a seed: customers' and guests' sales, then the untidy rows real exports
/// carry (cancellations, stock write-offs, zero-quantity and repeated rows), then numbering in time order.
/// </summary>
internal static class StoreSimulation
{
    public const int DefaultCustomers = 3600;

    private const int FirstInvoiceNumber = 250001;
    private const int FirstCustomerId = 13001;
    private const double GuestShare = 0.10;
    private const double CancellationChance = 0.015;
    private const double RepeatedRowChance = 0.012;
    private const double ZeroQuantityRowChance = 0.004;
    private const int StockAdjustments = 40;
    private const int EmptyInvoices = 8;

    public static IReadOnlyList<Invoice> Run(ulong seed, int customerCount = DefaultCustomers)
    {
        // Each stage draws from its own stream, so tuning one stage leaves the others' draws unchanged.
        var root = new SeededRandom(seed);
        var customerRandom = root.Fork();
        var saleRandom = root.Fork();
        var guestRandom = root.Fork();
        var untidyRandom = root.Fork();

        var catalogue = Catalogue.Parse(CatalogueData.Text);
        var calendar = new SalesCalendar();
        var baskets = new BasketBuilder(catalogue, CoPurchasePlan.For(catalogue));
        var invoices = new List<Invoice>();

        foreach (var customer in CustomerBase.Draw(customerRandom, catalogue, customerCount))
        {
            for (var i = 0; i < customer.Orders; i++)
            {
                var day = calendar.PickDay(saleRandom, customer.FirstDay, customer.LastDay);
                invoices.Add(Sale(saleRandom, calendar, baskets, customer, customer.Country, day, invoices.Count));
            }
        }

        // Guests make GuestShare of all sales: g / (registered + g) = share.
        var guests = (int)(invoices.Count * GuestShare / (1 - GuestShare));
        for (var i = 0; i < guests; i++)
        {
            var day = calendar.PickDay(guestRandom, 0, SalesCalendar.Days - 1);
            invoices.Add(Sale(guestRandom, calendar, baskets, null, Countries.Pick(guestRandom), day, invoices.Count));
        }

        AddUntidyRows(untidyRandom, catalogue, calendar, invoices);

        invoices.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
        return Number(invoices);
    }

    private static Invoice Sale(SeededRandom random, SalesCalendar calendar, BasketBuilder baskets, Customer? customer, string country, int day, int sequence)
    {
        var time = SalesCalendar.Start.AddDays(day).AddMinutes(calendar.PickMinute(random));
        return new Invoice(string.Empty, customer, null, country, time, InvoiceKind.Sale, baskets.Build(random, customer, day), sequence);
    }

    private static void AddUntidyRows(SeededRandom random, Catalogue catalogue, SalesCalendar calendar, List<Invoice> invoices)
    {
        var end = SalesCalendar.Start.AddDays(SalesCalendar.Days);
        var sales = invoices.Count;
        for (var i = 0; i < sales; i++)
        {
            var sale = invoices[i];
            if (random.Chance(RepeatedRowChance))
            {
                // The same product rung up twice: normalization must add the quantities.
                var lines = sale.Lines.ToList();
                var again = lines[random.Next(lines.Count)];
                lines.Add(again with { Quantity = random.Between(1, 3) });
                invoices[i] = sale = sale with { Lines = lines };
            }

            if (random.Chance(ZeroQuantityRowChance))
            {
                var lines = sale.Lines.ToList();
                lines.Insert(random.Next(lines.Count + 1), ZeroRow(catalogue.Products[random.Next(catalogue.Products.Count)]));
                invoices[i] = sale = sale with { Lines = lines };
            }

            // Only registered customers' orders get cancelled: a guest checkout has no account to refund to.
            if (sale.Customer is not null && random.Chance(CancellationChance))
            {
                // Refunds are booked in office hours, up to a fortnight after the sale.
                var when = sale.Time.Date.AddDays(random.Between(0, 14)).AddMinutes(random.Between(9 * 60, 18 * 60));
                if (when <= sale.Time)
                {
                    when = when.AddDays(1);
                }

                if (when >= end)
                {
                    continue;
                }

                var reversed = new List<InvoiceLine>();
                foreach (var line in sale.Lines)
                {
                    if (line.Quantity > 0 && (reversed.Count == 0 || random.Chance(0.6)))
                    {
                        var quantity = line.Quantity > 1 && random.Chance(0.3) ? random.Between(1, line.Quantity - 1) : line.Quantity;
                        reversed.Add(line with { Quantity = -quantity });
                    }
                }

                invoices.Add(sale with { Kind = InvoiceKind.Cancellation, Time = when, Lines = reversed, Sequence = invoices.Count });
            }
        }

        for (var i = 0; i < StockAdjustments; i++)
        {
            var product = catalogue.Products[random.Next(catalogue.Products.Count)];
            var time = SalesCalendar.Start.AddDays(calendar.PickDay(random, 0, SalesCalendar.Days - 1)).AddMinutes(random.Between(8 * 60, 17 * 60));
            invoices.Add(new Invoice(string.Empty, null, null, "United Kingdom", time, InvoiceKind.StockAdjustment,
                [new InvoiceLine(product, -random.Between(1, 24), 0)], invoices.Count));
        }

        for (var i = 0; i < EmptyInvoices; i++)
        {
            // An abandoned first attempt shortly before a real sale (never before 06:00, so never the day before).
            var sale = invoices[random.Next(sales)];
            var time = sale.Time.AddMinutes(-random.Between(1, 30));
            invoices.Add(sale with { Kind = InvoiceKind.Empty, Time = time, Lines = [sale.Lines[0] with { Quantity = 0 }], Sequence = invoices.Count });
        }
    }

    // A row edited down to nothing at the till: it keeps its price.
    private static InvoiceLine ZeroRow(Product product) => new(product, 0, product.PriceCents);

    // Invoice numbers run in time order; customer ids are handed out in order of first appearance.
    private static List<Invoice> Number(List<Invoice> invoices)
    {
        var ids = new Dictionary<int, string>();
        var numbered = new List<Invoice>(invoices.Count);
        for (var i = 0; i < invoices.Count; i++)
        {
            var invoice = invoices[i];
            var number = (FirstInvoiceNumber + i).ToString(CultureInfo.InvariantCulture);
            string? customerId = null;
            if (invoice.Customer is { } customer && !ids.TryGetValue(customer.Index, out customerId))
            {
                customerId = (FirstCustomerId + ids.Count).ToString(CultureInfo.InvariantCulture);
                ids.Add(customer.Index, customerId);
            }

            numbered.Add(invoice with
            {
                Number = invoice.Kind == InvoiceKind.Cancellation ? "C" + number : number,
                CustomerId = customerId,
            });
        }

        return numbered;
    }
}
