namespace Affinsy.Connectors.Shopify.Api;

/// <summary>The GraphQL documents the connector sends (the emulator matches these shapes).</summary>
internal static class ShopifyQueries
{
    private const string OrderFields =
        "id name createdAt processedAt updatedAt cancelledAt test currencyCode email customer { id }";

    private const string LineFields =
        "title variantTitle sku quantity currentQuantity "
        + "originalUnitPriceSet { shopMoney { amount currencyCode } } "
        + "discountedUnitPriceSet { shopMoney { amount currencyCode } } "
        + "discountAllocations { allocatedAmountSet { shopMoney { amount currencyCode } } }";

    private const string OperationFields = "id status errorCode objectCount fileSize url partialDataUrl createdAt";

    /// <summary>One page of orders by updatedAt ascending; <c>$query</c> carries the <c>updated_at:&gt;=</c> filter.</summary>
    public static string Orders(int lineItemsPerOrder) =>
        "query Orders($first: Int!, $after: String, $query: String) { "
        + "orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) { "
        + "pageInfo { hasNextPage endCursor } "
        + $"edges {{ node {{ {OrderFields} lineItems(first: {lineItemsPerOrder}) {{ pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {LineFields} }} }} }} }} }} }} }}";

    /// <summary>
    /// Starts an export. <c>groupObjects</c> is always sent: its default changed from true to false in 2026-01
    /// (shopify.dev changelog 2025-10-29, "Bulk operations group objects default changed to false"), so relying on it
    /// would make the file's layout depend on the version Shopify happens to serve.
    /// </summary>
    public const string RunBulk =
        "mutation RunBulk($bulkQuery: String!, $groupObjects: Boolean!) { bulkOperationRunQuery(query: $bulkQuery, groupObjects: $groupObjects) { "
        + "bulkOperation { id status createdAt } userErrors { field message } } }";

    /// <summary>The export itself: the whole history, or orders updated since <paramref name="filter"/> (an <c>updated_at:&gt;=</c> search).</summary>
    public static string BulkOrders(string? filter) =>
        $"{{ orders{(filter is null ? string.Empty : $"(query: \"{filter}\")")} {{ edges {{ node {{ {OrderFields} lineItems {{ edges {{ node {{ id {LineFields} }} }} }} }} }} }} }}";

    /// <summary>
    /// The operation we started, by its id: since 2026-01 several bulk operations may run at once for an app, so
    /// <c>currentBulkOperation</c> may name another one.
    /// </summary>
    public const string BulkById = $"query Op($id: ID!) {{ node(id: $id) {{ ... on BulkOperation {{ {OperationFields} }} }} }}";

    /// <summary>
    /// What <c>check</c> asks: the shop's name (proves the token) and the scopes granted to the app, in one request that
    /// needs no scope itself. Shapes from shopify.dev GraphQL Admin API: the <c>shop</c> query (Shop.name) and the
    /// <c>currentAppInstallation</c> query (AppInstallation.accessScopes, a list of AccessScope with <c>handle</c>),
    /// https://shopify.dev/docs/api/admin-graphql/latest/queries/currentAppInstallation.
    /// </summary>
    public const string Check = "query Check { shop { name } currentAppInstallation { accessScopes { handle } } }";
}
