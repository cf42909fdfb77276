using System.Globalization;
using Affinsy.Reference.Reports;

namespace Affinsy.Reference.Tests.Reports;

/// <summary>Terse construction of stored rows for report tests.</summary>
internal static class Rows
{
    /// <summary>A row; <paramref name="placed"/> is an ISO 8601 instant, or a date meaning noon UTC.</summary>
    public static OrderLine Line(
        string orderId, string? customerId, string? placed, string product, double unitPrice = 1, double quantity = 1) =>
        new(orderId, customerId, placed is null ? null : Instant(placed), product, unitPrice, quantity);

    public static DateTimeOffset Instant(string placed) =>
        placed.Length == 10
            ? new DateTimeOffset(DateOnly.ParseExact(placed, "yyyy-MM-dd", CultureInfo.InvariantCulture), new TimeOnly(12, 0), TimeSpan.Zero)
            : DateTimeOffset.Parse(placed, CultureInfo.InvariantCulture);

    public static DateOnly Day(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string[] Ids(ReportSelection selection) => selection.Orders.Select(o => o.OrderId).ToArray();

    public static string[] Ordinal(params string[] ids) => ids.Order(StringComparer.Ordinal).ToArray();
}
