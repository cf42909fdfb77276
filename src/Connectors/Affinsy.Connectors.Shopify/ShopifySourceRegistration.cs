using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify;

/// <summary>Adds the Shopify source to a registry.</summary>
public static class ShopifySourceRegistration
{
    /// <summary>Registers <c>shopify</c>; <paramref name="time"/> (default the system clock) dates API version warnings.</summary>
    public static SourceRegistry AddShopifySource(this SourceRegistry registry, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new ShopifySourcePlugin(time ?? TimeProvider.System));
    }
}
