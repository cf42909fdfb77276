using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify;

/// <summary>Adds the Shopify source to a registry.</summary>
public static class ShopifySourceRegistration
{
    /// <summary>Registers <c>shopify</c>.</summary>
    public static SourceRegistry AddShopifySource(this SourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new ShopifySourcePlugin());
    }
}
