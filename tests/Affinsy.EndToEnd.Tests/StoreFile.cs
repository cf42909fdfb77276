using System.Globalization;
using System.Text;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// A generated order export and the rows Affinsy must end up holding for it. Every row is distinct per
/// (order, product) and positive, so the expected rows are the file's rows exactly.
/// </summary>
internal sealed class StoreFile
{
    private readonly List<ExpectedRow> _rows = [];
    private int _nextOrder;

    public IReadOnlyList<ExpectedRow> Rows => _rows;

    public int Orders => _nextOrder;

    /// <summary>Appends <paramref name="orders"/> orders of 1-5 lines to a CSV (writing the header when new).</summary>
    public void AppendCsv(string path, int orders, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        if (!File.Exists(path))
        {
            sb.Append("order_id,product_name,unit_price,quantity,customer_id,order_date\n");
        }

        for (var i = 0; i < orders; i++)
        {
            var id = "o" + (_nextOrder++).ToString(CultureInfo.InvariantCulture);
            var customer = random.Next(10) == 0 ? null : "c" + random.Next(400).ToString(CultureInfo.InvariantCulture);
            var date = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(525_600));
            var products = Enumerable.Range(0, 60).OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToList();
            foreach (var p in products)
            {
                var price = random.Next(50, 5000) / 100m;
                var quantity = random.Next(1, 5);
                var name = $"Product {p}, size {p % 3}";
                _rows.Add(new ExpectedRow(id, name, (double)price, quantity, customer, date));
                sb.Append(CultureInfo.InvariantCulture, $"{id},\"{name}\",{price},{quantity},{customer},{date:yyyy-MM-ddTHH:mm:ssZ}\n");
            }
        }

        File.AppendAllText(path, sb.ToString());
    }
}

internal readonly record struct ExpectedRow(string OrderId, string ProductName, double UnitPrice, double Quantity, string? CustomerId, DateTimeOffset OrderDate);
