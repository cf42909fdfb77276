using System.Runtime.InteropServices;

namespace Affinsy.Core.Sources.Jsonl;

/// <summary>One JSON Lines order as <see cref="JsonlOrderParser"/> read it, reused from line to line.</summary>
public sealed class JsonlRecord
{
    /// <summary>The order id, trimmed (after a refusal: as far as it was read, for the dead letter).</summary>
    public string? OrderId { get; internal set; }

    /// <summary>The customer id; null when absent or blank.</summary>
    public string? CustomerId { get; internal set; }

    /// <summary>The order date in UTC; null when absent or blank.</summary>
    public DateTimeOffset? OrderDate { get; internal set; }

    /// <summary>The currency as given; null when absent.</summary>
    public string? Currency { get; internal set; }

    /// <summary>The line items, in the order of the line; valid until the next line is parsed into this record.</summary>
    public ReadOnlySpan<JsonlItem> Items => CollectionsMarshal.AsSpan(ItemList);

    internal List<JsonlItem> ItemList { get; } = [];

    internal void Clear()
    {
        OrderId = null;
        CustomerId = null;
        OrderDate = null;
        Currency = null;
        ItemList.Clear();
    }
}

/// <summary>One line item of <see cref="JsonlRecord"/>: its product name (trimmed), unit price and quantity.</summary>
/// <param name="ProductName">The product name, trimmed.</param>
/// <param name="UnitPrice">The unit price.</param>
/// <param name="Quantity">The quantity.</param>
public readonly record struct JsonlItem(string ProductName, decimal UnitPrice, decimal Quantity);
