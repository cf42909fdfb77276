using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Affinsy.Reference.Reports;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>
/// The rows Affinsy should hold for a store, computed straight from the emulator's data with the README's rules
/// (not with the connector's mapper): skip cancelled and test orders, quantity = currentQuantity with zeros dropped,
/// price = what was paid per unit after line- and order-level discounts, rounded to cents, lines of one title merged (quantities add, price weighted), date = processedAt,
/// customer = customer id, else SHA-256 of the lower-cased email.
/// </summary>
internal static class ExpectedRows
{
    public static List<string> For(IEnumerable<EmulatedOrder> orders)
    {
        var rows = new List<string>();
        foreach (var order in orders)
        {
            if (order.CancelledAt is not null || order.Test)
            {
                continue;
            }

            var customer = order.CustomerId?.ToString(CultureInfo.InvariantCulture)
                ?? (order.Email is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(order.Email.ToLowerInvariant()))));
            foreach (var group in order.Lines.Where(l => l.CurrentQuantity > 0).GroupBy(l => l.Title))
            {
                var quantity = group.Sum(l => l.CurrentQuantity);
                var price = group.Sum(l => Paid(l) * l.CurrentQuantity) / quantity;
                rows.Add(Row(order.Id.ToString(CultureInfo.InvariantCulture), customer, order.ProcessedAt, group.Key!, (double)price, quantity));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>(original x quantity - line discounts - order-level allocation) / quantity, to cents, midpoint away from zero.</summary>
    public static decimal Paid(EmulatedLine l) =>
        Math.Round(((l.OriginalPrice * l.Quantity) - l.LineDiscount - l.OrderDiscount) / l.Quantity, 2, MidpointRounding.AwayFromZero);

    public static List<string> Of(IEnumerable<OrderLine> lines)
    {
        var rows = lines.Select(l => Row(l.OrderId, l.CustomerId, l.OrderDate!.Value, l.ProductName, l.UnitPrice, l.Quantity)).ToList();
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Row(string order, string? customer, DateTimeOffset date, string product, double price, double quantity) =>
        string.Create(CultureInfo.InvariantCulture, $"{order}|{customer}|{date.UtcDateTime:O}|{product}|{price:F4}|{quantity}");
}
