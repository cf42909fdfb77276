using System.Text.Json.Serialization;

namespace Affinsy.Connectors.Shopify.Api;

// REST Admin API (and webhook payload) shapes: snake_case on the wire.

internal sealed class RestOrdersPage
{
    public List<RestOrder>? Orders { get; init; }
}

internal sealed class RestOrder
{
    public long Id { get; init; }

    public string? Name { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? ProcessedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }

    public bool? Test { get; init; }

    public string? Currency { get; init; }

    public string? Email { get; init; }

    public RestCustomer? Customer { get; init; }

    public List<RestLineItem>? LineItems { get; init; }
}

internal sealed class RestCustomer
{
    public long? Id { get; init; }
}

internal sealed class RestLineItem
{
    public string? Title { get; init; }

    public string? VariantTitle { get; init; }

    public string? Sku { get; init; }

    public int Quantity { get; init; }

    public int? CurrentQuantity { get; init; }

    [JsonConverter(typeof(AmountTextConverter))]
    public string? Price { get; init; }

    [JsonConverter(typeof(AmountTextConverter))]
    public string? TotalDiscount { get; init; }

    public List<RestDiscountAllocation>? DiscountAllocations { get; init; }
}

internal sealed class RestDiscountAllocation
{
    [JsonConverter(typeof(AmountTextConverter))]
    public string? Amount { get; init; }
}
