using Affinsy.Core.Configuration;

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

    /// <summary>Which unit price is sent (default what the buyer paid, after every discount).</summary>
    public ShopifyPrice Price { get; init; } = ShopifyPrice.Paid;

    /// <summary>
    /// Reads <c>price</c>, <c>include_test_orders</c>, <c>include_cancelled</c>, <c>product_name</c> and <c>customer_id</c> from a
    /// source section (the Shopify source, or a Kafka source with <c>format: shopify</c>); problems go to the section.
    /// </summary>
    public static ShopifyMappingOptions Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new ShopifyMappingOptions
        {
            IncludeTestOrders = section.GetBool("include_test_orders", false),
            IncludeCancelled = section.GetBool("include_cancelled", false),
            ProductName = section.GetChoice("product_name", "title", "title", "title_variant", "sku") switch
            {
                "title_variant" => ShopifyProductName.TitleVariant,
                "sku" => ShopifyProductName.Sku,
                _ => ShopifyProductName.Title,
            },
            CustomerId = section.GetChoice("customer_id", "customer", "customer", "email_hash") == "email_hash"
                ? ShopifyCustomerId.EmailHash
                : ShopifyCustomerId.Customer,
            Price = section.GetChoice("price", "paid", "paid", "list") == "list" ? ShopifyPrice.List : ShopifyPrice.Paid,
        };
    }
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

/// <summary><c>price</c>: which unit price a line is sent with.</summary>
public enum ShopifyPrice
{
    /// <summary>
    /// What the buyer paid per unit after line- and order-level discounts:
    /// round((original unit price x quantity - sum of discount allocations) / quantity, 2), midpoint away from zero.
    /// </summary>
    Paid,

    /// <summary>The original (list) unit price, before any discount.</summary>
    List,
}
