namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>Which WooCommerce field becomes the Affinsy product name.</summary>
public enum ProductNameField
{
    /// <summary>The line's product name (variants named apart by WooCommerce stay apart).</summary>
    Name,

    /// <summary>The SKU; the name when a line has none.</summary>
    Sku,
}

/// <summary>Which WooCommerce field becomes the Affinsy customer id.</summary>
public enum CustomerIdField
{
    /// <summary>The registered customer id; guests get the e-mail hash, or no customer without an e-mail.</summary>
    Customer,

    /// <summary>Always the e-mail hash, so a guest and a registered account with one address are one customer.</summary>
    EmailHash,
}

/// <summary>How a WooCommerce order is turned into an Affinsy order.</summary>
public sealed record WooCommerceMapping
{
    /// <summary>Default <see cref="ProductNameField.Name"/>.</summary>
    public ProductNameField ProductName { get; init; } = ProductNameField.Name;

    /// <summary>Default <see cref="CustomerIdField.Customer"/>.</summary>
    public CustomerIdField CustomerId { get; init; } = CustomerIdField.Customer;

    /// <summary>Copied to <c>Order.Source</c>.</summary>
    public string Source { get; init; } = "woocommerce";
}
