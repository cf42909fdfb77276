namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>The message formats by their <c>format:</c> name; the one place a new format is added.</summary>
internal static class KafkaFormats
{
    public const string Affinsy = "affinsy";
    public const string LineItem = "line_item";

    /// <summary>Every name the config accepts, including formats announced but not built yet.</summary>
    public static readonly string[] Names = [Affinsy, LineItem, "shopify", "woocommerce"];

    /// <summary>True for a name that has a decoder.</summary>
    public static bool IsAvailable(string name) => name is Affinsy or LineItem;

    public static IMessageFormat Create(KafkaSourceOptions options) => options.Format switch
    {
        Affinsy => new AffinsyMessageFormat(),
        LineItem => new LineItemMessageFormat(options.OrderIdle),
        _ => throw new InvalidOperationException($"format '{options.Format}' is not available yet"),
    };
}
