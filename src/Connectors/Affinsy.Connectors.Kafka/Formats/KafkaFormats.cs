namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>The message formats by their <c>format:</c> name; the one place a new format is added.</summary>
internal static class KafkaFormats
{
    public const string Affinsy = "affinsy";
    public const string LineItem = "line_item";
    public const string Shopify = "shopify";
    public const string WooCommerce = "woocommerce";

    /// <summary>Every name the config accepts.</summary>
    public static readonly string[] Names = [Affinsy, LineItem, Shopify, WooCommerce];

    public static IMessageFormat Create(KafkaSourceOptions options) => options.Format switch
    {
        Affinsy => new AffinsyMessageFormat(),
        LineItem => new LineItemMessageFormat(options.OrderIdle),
        Shopify => new ShopifyMessageFormat(options.Shopify),
        WooCommerce => new WooCommerceMessageFormat(options.WooCommerce, options.WooCommerceStatuses),
        _ => throw new InvalidOperationException($"format '{options.Format}' is not one of {string.Join(", ", Names)}"),
    };
}
