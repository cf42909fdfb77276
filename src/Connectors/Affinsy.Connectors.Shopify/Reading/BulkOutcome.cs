using Affinsy.Connectors.Shopify.Api;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Whether a finished bulk operation's result can be used (shopify.dev "Perform bulk operations with the GraphQL Admin
/// API" and the BulkOperation object: status, errorCode, url, partialDataUrl). Partial data is never used: it may miss
/// any order, and an order must not be sent with part of its lines.
/// </summary>
internal static class BulkOutcome
{
    /// <summary>The message to fail with, or null when the result is complete (a url, or no objects at all).</summary>
    public static string? Unusable(GqlBulkOperation operation, string shop)
    {
        var what = $"Shopify bulk operation {operation.Id} for shop {shop}";
        var code = operation.ErrorCode is { } c ? $" (errorCode {c})" : string.Empty;
        var tail = ". Nothing from it was sent; the next run starts a new export." + operation.ErrorCode switch
        {
            "ACCESS_DENIED" => " The app needs the read_orders scope (and read_all_orders for orders older than 60 days).",
            "TIMEOUT" => " Shopify gave up on the export (TIMEOUT): keep group_objects false, which Shopify recommends for large exports.",
            _ => string.Empty,
        };
        var partial = operation.PartialDataUrl is null ? string.Empty : "; its partial data is not used, since it may miss orders";
        return operation.Status switch
        {
            "NOT_FOUND" => $"{what} no longer exists (Shopify keeps operations about a week){tail}",
            "COMPLETED" when operation.Url is null && operation.PartialDataUrl is not null =>
                $"{what} completed{code} with only partial data; it is not used, since it may miss orders{tail}",
            "COMPLETED" when operation.Url is null && operation.ErrorCode is not null => $"{what} completed{code} without a result{tail}",
            "COMPLETED" when operation.Url is null && operation.ObjectCount is not (null or "0") =>
                $"{what} completed with {operation.ObjectCount} objects but no result URL{tail}",
            "COMPLETED" => null,
            _ => $"{what} ended {operation.Status}{code} after {operation.ObjectCount ?? "0"} objects{partial}{tail}",
        };
    }
}
