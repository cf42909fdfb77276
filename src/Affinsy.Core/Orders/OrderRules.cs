using System.Globalization;

namespace Affinsy.Core.Orders;

/// <summary>
/// The Affinsy API's limits on one order, checked where the data is read so a refusal can point at
/// the exact record. Each check returns null when the value is acceptable, else a reason that says
/// what to do.
/// </summary>
public static class OrderRules
{
    /// <summary>Longest order id the API accepts.</summary>
    public const int MaxOrderIdLength = 256;

    /// <summary>Longest product name the API accepts (after trimming).</summary>
    public const int MaxProductNameLength = 512;

    /// <summary>Most distinct products one order may have: a request holds at most 10,000 line items.</summary>
    public const int MaxDistinctProducts = 10_000;

    /// <summary>Checks an already trimmed order id.</summary>
    public static string? CheckOrderId(string? orderId)
    {
        if (string.IsNullOrEmpty(orderId))
        {
            return "no order id: every order needs a non-empty order_id; map the order id column or fill it in the source";
        }

        return orderId.Length > MaxOrderIdLength
            ? string.Create(CultureInfo.InvariantCulture, $"order_id is {orderId.Length} characters long (max {MaxOrderIdLength}); map a shorter id column")
            : null;
    }

    /// <summary>Checks one line item; <paramref name="productName"/> must already be trimmed.</summary>
    public static string? CheckLine(string? productName, decimal unitPrice, decimal quantity)
    {
        if (string.IsNullOrEmpty(productName))
        {
            return "empty product name: every line item needs a product_name; map the product name column or fill it in the source";
        }

        if (productName.Length > MaxProductNameLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"product name is {productName.Length} characters long (max {MaxProductNameLength}); map a shorter name column");
        }

        if (unitPrice < 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"negative unit price {unitPrice} for '{productName}': Affinsy needs unit_price >= 0; credit notes and adjustments are not purchases, leave them out of the export");
        }

        return quantity < 0
            ? string.Create(CultureInfo.InvariantCulture, $"negative quantity {quantity} for '{productName}': Affinsy needs quantity > 0; returns are not purchases, leave them out of the export")
            : null;
    }

    /// <summary>Trims a name; an all-whitespace value becomes empty.</summary>
    public static string Trim(string? value) => value is null ? string.Empty : value.Trim();
}
