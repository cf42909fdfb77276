namespace Affinsy.Connectors.Shopify.Mapping;

/// <summary>How Shopify orders become Affinsy orders; the same rules for every API and for webhooks.</summary>
public sealed record ShopifyMappingOptions
{
    /// <summary>Send test orders (default false).</summary>
    public bool IncludeTestOrders { get; init; }

    /// <summary>Send cancelled orders (default false).</summary>
    public bool IncludeCancelled { get; init; }

    /// <summary>What becomes the product name (default the product title).</summary>
    public ShopifyProductName ProductName { get; init; } = ShopifyProductName.Title;

    /// <summary>What becomes the customer id (default the Shopify customer, else an email hash).</summary>
    public ShopifyCustomerId CustomerId { get; init; } = ShopifyCustomerId.Customer;
}

/// <summary><c>product_name</c>: which line item field names the product.</summary>
public enum ShopifyProductName
{
    /// <summary>The product title: every variant of a product is one item for basket analysis.</summary>
    Title,

    /// <summary>"Title - Variant" when there is a variant title.</summary>
    TitleVariant,

    /// <summary>The SKU, falling back to the title when a line has none.</summary>
    Sku,
}

/// <summary><c>customer_id</c>: how a customer is identified.</summary>
public enum ShopifyCustomerId
{
    /// <summary>The Shopify customer id, else the email hash (guests), else none.</summary>
    Customer,

    /// <summary>The email hash, else the Shopify customer id, else none: joins guests and accounts by email.</summary>
    EmailHash,
}
