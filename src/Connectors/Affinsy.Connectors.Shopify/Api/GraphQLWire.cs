using System.Text.Json.Serialization;

namespace Affinsy.Connectors.Shopify.Api;

// GraphQL Admin API shapes, only the fields the connector asks for. camelCase on the wire.

internal sealed class GqlRequest
{
    public required string Query { get; init; }

    public GqlVariables? Variables { get; init; }
}

internal sealed class GqlVariables
{
    public int? First { get; init; }

    public string? After { get; init; }

    public string? Query { get; init; }

    public string? Id { get; init; }

    public string? BulkQuery { get; init; }

    public bool? GroupObjects { get; init; }
}

internal sealed class GqlResponse<T>
{
    public T? Data { get; init; }

    public List<GqlError>? Errors { get; init; }

    public GqlExtensions? Extensions { get; init; }
}

internal sealed class GqlError
{
    public string? Message { get; init; }

    public GqlErrorExtensions? Extensions { get; init; }
}

internal sealed class GqlErrorExtensions
{
    public string? Code { get; init; }
}

internal sealed class GqlExtensions
{
    public GqlCost? Cost { get; init; }
}

internal sealed class GqlCost
{
    public double RequestedQueryCost { get; init; }

    public double? ActualQueryCost { get; init; }

    public GqlThrottleStatus? ThrottleStatus { get; init; }
}

internal sealed class GqlThrottleStatus
{
    public double MaximumAvailable { get; init; }

    public double CurrentlyAvailable { get; init; }

    public double RestoreRate { get; init; }
}

internal sealed class GqlPageInfo
{
    public bool HasNextPage { get; init; }

    public string? EndCursor { get; init; }
}

internal sealed class GqlConnection<T>
{
    public GqlPageInfo? PageInfo { get; init; }

    public List<GqlEdge<T>>? Edges { get; init; }
}

internal sealed class GqlEdge<T>
{
    public T? Node { get; init; }
}

internal sealed class GqlRef
{
    public string? Id { get; init; }
}

internal sealed class GqlMoney
{
    [JsonConverter(typeof(AmountTextConverter))]
    public string? Amount { get; init; }

    public string? CurrencyCode { get; init; }
}

internal sealed class GqlMoneyBag
{
    public GqlMoney? ShopMoney { get; init; }
}

internal sealed class GqlOrder
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? ProcessedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }

    public bool Test { get; init; }

    public string? CurrencyCode { get; init; }

    public string? Email { get; init; }

    public GqlRef? Customer { get; init; }

    public GqlConnection<GqlLineItem>? LineItems { get; init; }
}

internal sealed class GqlLineItem
{
    public string? Title { get; init; }

    public string? VariantTitle { get; init; }

    public string? Sku { get; init; }

    public int Quantity { get; init; }

    public int? CurrentQuantity { get; init; }

    public GqlMoneyBag? OriginalUnitPriceSet { get; init; }

    public GqlMoneyBag? DiscountedUnitPriceSet { get; init; }

    public List<GqlDiscountAllocation>? DiscountAllocations { get; init; }

    [JsonPropertyName("__parentId")]
    public string? ParentId { get; init; }
}

internal sealed class GqlDiscountAllocation
{
    public GqlMoneyBag? AllocatedAmountSet { get; init; }
}

internal sealed class GqlOrdersData
{
    public GqlConnection<GqlOrder>? Orders { get; init; }
}

internal sealed class GqlBulkOperation
{
    public string? Id { get; init; }

    public string? Status { get; init; }

    public string? ErrorCode { get; init; }

    public string? ObjectCount { get; init; }

    /// <summary>Bytes of the result file (UnsignedInt64, a string; null until completed), to size the spill.</summary>
    public string? FileSize { get; init; }

    public string? Url { get; init; }

    public string? PartialDataUrl { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }
}

internal sealed class GqlUserError
{
    public List<string>? Field { get; init; }

    public string? Message { get; init; }
}

internal sealed class GqlBulkRunPayload
{
    public GqlBulkOperation? BulkOperation { get; init; }

    public List<GqlUserError>? UserErrors { get; init; }
}

internal sealed class GqlBulkRunData
{
    public GqlBulkRunPayload? BulkOperationRunQuery { get; init; }
}

internal sealed class GqlCurrentBulkData
{
    public GqlBulkOperation? CurrentBulkOperation { get; init; }
}

internal sealed class GqlNodeData
{
    public GqlBulkOperation? Node { get; init; }
}

internal sealed class GqlShop
{
    public string? Name { get; init; }
}

internal sealed class GqlAccessScope
{
    public string? Handle { get; init; }
}

internal sealed class GqlAppInstallation
{
    public List<GqlAccessScope>? AccessScopes { get; init; }
}

internal sealed class GqlCheckData
{
    public GqlShop? Shop { get; init; }

    public GqlAppInstallation? CurrentAppInstallation { get; init; }
}
