namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>One JSON Lines order as read, reused from line to line.</summary>
internal sealed class JsonlRecord
{
    public string? OrderId { get; set; }

    public string? CustomerId { get; set; }

    public DateTimeOffset? OrderDate { get; set; }

    public string? Currency { get; set; }

    public List<JsonlItem> Items { get; } = [];

    public void Clear()
    {
        OrderId = null;
        CustomerId = null;
        OrderDate = null;
        Currency = null;
        Items.Clear();
    }
}

/// <summary>One line item of <see cref="JsonlRecord"/>.</summary>
internal readonly record struct JsonlItem(string ProductName, decimal UnitPrice, decimal Quantity);
