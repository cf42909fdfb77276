using System.Globalization;
using System.Text;

namespace Affinsy.Reference.Tests.Contract;

/// <summary>Builds order JSON for requests.</summary>
internal static class Orders
{
    public static string One(string id, params (string Product, double Price, double Qty)[] lines) =>
        One(id, null, null, lines);

    public static string One(string id, string? customer, string? date, params (string Product, double Price, double Qty)[] lines)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"order_id\":\"{id}\"");
        if (customer is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $",\"customer_id\":\"{customer}\"");
        }

        if (date is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $",\"order_date\":\"{date}\"");
        }

        sb.Append(",\"line_items\":[");
        sb.AppendJoin(',', lines.Select(l => string.Create(CultureInfo.InvariantCulture, $"{{\"product_name\":\"{l.Product}\",\"unit_price\":{l.Price},\"quantity\":{l.Qty}}}")));
        return sb.Append("]}").ToString();
    }

    public static string Array(params string[] orders) => "[" + string.Join(',', orders) + "]";

    /// <summary>n orders of one line each: ids prefix0..prefix(n-1).</summary>
    public static string Many(int n, string prefix = "o", int linesEach = 1) =>
        Array(Enumerable.Range(0, n).Select(i => One(prefix + i, Enumerable.Range(0, linesEach).Select(j => ("p" + j, 1.0, 1.0)).ToArray())).ToArray());
}
