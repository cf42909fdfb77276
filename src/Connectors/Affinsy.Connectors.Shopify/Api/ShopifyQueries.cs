namespace Affinsy.Connectors.Shopify.Api;

/// <summary>The GraphQL documents the connector sends (the emulator matches these shapes).</summary>
internal static class ShopifyQueries
{
    private const string OrderFields =
        "id name createdAt processedAt updatedAt cancelledAt test currencyCode email customer { id }";

    private const string LineFields =
        "title variantTitle sku quantity currentQuantity "
        + "originalUnitPriceSet { shopMoney { amount currencyCode } } "
        + "discountedUnitPriceSet { shopMoney { amount currencyCode } }";

    private const string OperationFields = "id status errorCode objectCount url partialDataUrl createdAt";

    /// <summary>One page of orders by updatedAt ascending; <c>$query</c> carries the <c>updated_at:&gt;=</c> filter.</summary>
    public static string Orders(int lineItemsPerOrder) =>
        "query Orders($first: Int!, $after: String, $query: String) { "
        + "orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) { "
        + "pageInfo { hasNextPage endCursor } "
        + $"edges {{ node {{ {OrderFields} lineItems(first: {lineItemsPerOrder}) {{ pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {LineFields} }} }} }} }} }} }} }}";

    /// <summary>Starts the full-history export; the result lists each order, then its line items.</summary>
    public const string RunBulk =
        "mutation RunBulk($bulkQuery: String!) { bulkOperationRunQuery(query: $bulkQuery) { "
        + "bulkOperation { id status createdAt } userErrors { field message } } }";

    /// <summary>The export itself (no filter: the whole history).</summary>
    public const string BulkOrders =
        $"{{ orders {{ edges {{ node {{ {OrderFields} lineItems {{ edges {{ node {{ {LineFields} }} }} }} }} }} }} }}";

    public const string CurrentBulk = $"query {{ currentBulkOperation {{ {OperationFields} }} }}";

    public const string BulkById = $"query Op($id: ID!) {{ node(id: $id) {{ ... on BulkOperation {{ {OperationFields} }} }} }}";
}
