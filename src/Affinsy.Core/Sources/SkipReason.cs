namespace Affinsy.Core.Sources;

/// <summary>
/// Why an order was left out by design: an expected business event, not a problem a person must fix (those are dead
/// letters). A closed set on purpose: every connector maps its own statuses onto it, so the console, <c>status</c>,
/// the run history and the page count the same things whatever the source. The wire name of each is
/// <see cref="SkipReasons.Name"/> (snake_case, stable: stored in the run history).
/// </summary>
public enum SkipReason
{
    /// <summary><c>cancelled</c>: the order was cancelled (Shopify <c>cancelled_at</c>, a WooCommerce cancelled order, a "C" invoice).</summary>
    Cancelled,

    /// <summary><c>test</c>: a test order (Shopify <c>test: true</c>).</summary>
    Test,

    /// <summary><c>refunded</c>: refunded or removed whole, nothing bought remains (Shopify current quantities all 0, WooCommerce refunded).</summary>
    Refunded,

    /// <summary><c>status_not_sold</c>: a status that is not a sale (WooCommerce failed, trash, checkout-draft, or not in <c>statuses</c>).</summary>
    StatusNotSold,

    /// <summary><c>return</c>: a return or stock correction (negative quantities in a retail export) with nothing bought.</summary>
    Return,

    /// <summary><c>zero_quantity</c>: every line had quantity 0, so normalization left nothing to send.</summary>
    ZeroQuantity,
}

/// <summary>The stable names of <see cref="SkipReason"/>.</summary>
public static class SkipReasons
{
    /// <summary>Every reason, in the order they are shown.</summary>
    public static IReadOnlyList<SkipReason> All { get; } = Enum.GetValues<SkipReason>();

    /// <summary>The snake_case name shown and stored (<c>status_not_sold</c>).</summary>
    public static string Name(SkipReason reason) => reason switch
    {
        SkipReason.Cancelled => "cancelled",
        SkipReason.Test => "test",
        SkipReason.Refunded => "refunded",
        SkipReason.StatusNotSold => "status_not_sold",
        SkipReason.Return => "return",
        SkipReason.ZeroQuantity => "zero_quantity",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The reason named <paramref name="name"/>; false for a name this version does not know.</summary>
    public static bool TryParse(string? name, out SkipReason reason)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
