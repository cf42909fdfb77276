using System.Globalization;
using System.Security.Cryptography;

namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// The --stats report: counts, the RFM-relevant customer shape, what standard_mba should find, the
/// strongest observed pairs, and a determinism check (the same seed must give the same bytes).
/// </summary>
internal static class StoreStats
{
    /// <summary>Prints the summary; false when a second run with the same seed gave different bytes.</summary>
    public static bool Print(IReadOnlyList<Invoice> invoices, byte[] csv, GeneratorOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        var sales = invoices.Where(i => i.Kind == InvoiceKind.Sale).ToList();
        var rows = invoices.Sum(i => i.Lines.Count);
        var end = SalesCalendar.Start.AddDays(SalesCalendar.Days);
        Console.WriteLine(string.Create(inv, $"seed {options.Seed}, {options.Customers} customers simulated"));
        Console.WriteLine(string.Create(inv,
            $"invoices: {invoices.Count} (sales {sales.Count}, cancellations {Count(invoices, InvoiceKind.Cancellation)}, stock adjustments {Count(invoices, InvoiceKind.StockAdjustment)}, zero-only {Count(invoices, InvoiceKind.Empty)})"));
        Console.WriteLine(string.Create(inv,
            $"rows: {rows} (quantity 0: {invoices.Sum(i => i.Lines.Count(l => l.Quantity == 0))}, negative: {invoices.Sum(i => i.Lines.Count(l => l.Quantity < 0))}, sales with a product twice: {sales.Count(s => s.Lines.Select(l => l.Product.Index).Distinct().Count() < s.Lines.Count)})"));
        var guests = sales.Count(s => s.CustomerId is null);
        Console.WriteLine(string.Create(inv,
            $"customers: {invoices.Where(i => i.CustomerId is not null).Select(i => i.CustomerId).Distinct().Count()} registered; guest sales {guests} ({100.0 * guests / sales.Count:F1}%)"));
        Console.WriteLine(string.Create(inv,
            $"dates: {invoices[0].Time:yyyy-MM-dd HH:mm} to {invoices[^1].Time:yyyy-MM-dd HH:mm}; sales by month: {string.Join(' ', Enumerable.Range(1, 12).Select(m => sales.Count(s => s.Time.Month == m)))}"));
        Console.WriteLine(string.Create(inv,
            $"revenue of sales: {sales.Sum(s => s.Lines.Sum(l => (long)l.Quantity * l.PriceCents)) / 100m:N2}"));

        PrintCustomers(sales, end);
        PrintBaskets(sales);
        Console.WriteLine($"standard_rfm segments: {string.Join(", ", RfmPreview.Segments(sales).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Segment} {s.Customers}")))}");

        var hash = Convert.ToHexStringLower(SHA256.HashData(csv));
        var again = Convert.ToHexStringLower(SHA256.HashData(RetailCsvWriter.Write(StoreSimulation.Run(options.Seed, options.Customers))));
        Console.WriteLine($"csv sha256: {hash} (regenerated: {(hash == again ? "identical" : "DIFFERENT: generation is not deterministic")})");
        return hash == again;
    }

    private static void PrintCustomers(List<Invoice> sales, DateTime end)
    {
        var reference = sales[^1].Time.Date;
        var byCustomer = sales.Where(s => s.Customer is not null).GroupBy(s => s.CustomerId!).ToList();
        var lapsed = byCustomer.Count(g => (reference - g.Max(s => s.Time).Date).TotalDays > 180);
        var recent = byCustomer.Count(g => (reference - g.Min(s => s.Time).Date).TotalDays <= 90);
        var once = byCustomer.Count(g => g.Count() == 1);
        var segments = byCustomer.GroupBy(g => g.First().Customer!.Segment).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}"));
        Console.WriteLine($"planted segments: {string.Join(", ", segments)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"observed (reference date {reference:yyyy-MM-dd}, end {end:yyyy-MM-dd}): one order {once}, last order > 180 days ago {lapsed}, first order within 90 days {recent}"));
    }

    private static void PrintBaskets(List<Invoice> sales)
    {
        // What the retail preset sends: sales only, rows with quantity > 0, one item per distinct product.
        var products = sales.SelectMany(s => s.Lines).Select(l => l.Product).DistinctBy(p => p.Index).ToDictionary(p => p.Index);
        var baskets = sales
            .Select(s => s.Lines.Where(l => l.Quantity > 0).Select(l => l.Product.Index).Distinct().Order().ToArray())
            .Where(b => b.Length > 0)
            .ToList();
        var itemCount = products.Keys.Max() + 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baskets: {baskets.Count}, distinct products {products.Count}, mean {baskets.Average(b => b.Length):F2} products per basket, largest {baskets.Max(b => b.Length)}"));

        var (frequent, rules) = BasketMiner.Mine(baskets, itemCount, minSupportPercent: 1, minConfidence: 0.1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"standard_mba (min_support 0.01, min_confidence 0.1, max_len 4): frequent itemsets by size 1-4: {frequent[1]}/{frequent[2]}/{frequent[3]}/{frequent[4]}; rules {rules.Count}"));

        Console.WriteLine("strongest pairs by lift (count, support, lift, confidence each way):");
        var pairs = rules.Where(r => r.Antecedent.Length == 1 && r.Antecedent[0] < r.Consequent)
            .OrderByDescending(r => r.Lift).ThenBy(r => r.Antecedent[0]).ThenBy(r => r.Consequent).Take(15);
        foreach (var pair in pairs)
        {
            var reverse = rules.FirstOrDefault(r => r.Antecedent.Length == 1 && r.Antecedent[0] == pair.Consequent && r.Consequent == pair.Antecedent[0]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {products[pair.Antecedent[0]].Description} + {products[pair.Consequent].Description}: {pair.Count}, {pair.Support:F4}, {pair.Lift:F1}, {pair.Confidence:F2} / {reverse?.Confidence.ToString("F2", CultureInfo.InvariantCulture) ?? "-"}"));
        }
    }

    private static int Count(IReadOnlyList<Invoice> invoices, InvoiceKind kind) => invoices.Count(i => i.Kind == kind);
}
