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

    /// <summary>
    /// Largest unit_price, quantity and unit_price x quantity the API accepts [ours, AFFINSY_API.md]: far above
    /// any real sale, small enough that totals over millions of rows stay exact in decimal (whose range ends near
    /// 7.9e28, so 1e15 x 1e15 would overflow) and amounts stay exact in a double's 15 significant digits.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

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

        if (quantity < 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"negative quantity {quantity} for '{productName}': Affinsy needs quantity > 0; returns are not purchases, leave them out of the export");
        }

        return CheckAmounts(productName, unitPrice, quantity);
    }

    /// <summary>
    /// Checks that a line's unit price, quantity and their product are within <see cref="MaxAmount"/>, without
    /// ever overflowing: with both factors at most 1e15 the product is at most 1e30, past decimal, so it is
    /// bounded in double first and computed exactly only when it is safely in range.
    /// </summary>
    public static string? CheckAmounts(string productName, decimal unitPrice, decimal quantity)
    {
        if (unitPrice > MaxAmount)
        {
            return OutOfRange("unit_price", unitPrice, productName);
        }

        if (quantity > MaxAmount)
        {
            return OutOfRange("quantity", quantity, productName);
        }

        return (double)unitPrice * (double)quantity > (double)MaxAmount * 2 || unitPrice * quantity > MaxAmount
            ? string.Create(CultureInfo.InvariantCulture, $"unit_price x quantity for '{productName}' is {(double)unitPrice * (double)quantity:G4} (max {MaxAmount:G4}): Affinsy cannot total it; check the quantity and unit_price columns (a price in the quantity column, a missing decimal point)")
            : null;
    }

    /// <summary>The reason for a product whose repeated lines add up past <see cref="MaxAmount"/>.</summary>
    public static string MergedOutOfRange(string productName, string field) =>
        string.Create(CultureInfo.InvariantCulture, $"the lines for '{productName}' add up to a {field} over {MaxAmount:G4}: Affinsy cannot total it; check the quantity and unit_price columns of this order");

    private static string OutOfRange(string field, decimal value, string productName) =>
        string.Create(CultureInfo.InvariantCulture, $"{field} {(double)value:G4} for '{productName}' is out of range (max {MaxAmount:G4}): Affinsy cannot total it; check the {field} column (a misplaced column, a missing decimal point)");

    /// <summary>Trims a name; an all-whitespace value becomes empty.</summary>
    public static string Trim(string? value) => value is null ? string.Empty : value.Trim();

    /// <summary>The reason to give for a date that could not be read.</summary>
    public static string UnparsableDate(string text, string expectedFormat) =>
        $"unparsable order date '{text}': expected {expectedFormat}; fix the value or set the date format in the source";
}
