using Affinsy.Core.Sources.Messages;

namespace Affinsy.Connectors.Kafka.Formats;

/// <summary>
/// The message formats by their <c>format:</c> name: Kafka's own (<c>affinsy</c>, <c>line_item</c>) and those other
/// connectors register through <see cref="MessageFormatRegistry"/> (<c>shopify</c>, <c>woocommerce</c> when the
/// Host registers those connectors). Kafka's own names win over a registered format of the same name.
/// </summary>
internal static class KafkaFormats
{
    public const string Affinsy = "affinsy";
    public const string LineItem = "line_item";

    /// <summary>The formats this connector implements itself.</summary>
    public static readonly string[] BuiltIn = [Affinsy, LineItem];

    /// <summary>Every name the config accepts: Kafka's own first, then the registered ones, sorted.</summary>
    public static string[] Names(MessageFormatRegistry registered) =>
        [.. BuiltIn, .. registered.Names.Where(n => !BuiltIn.Contains(n, StringComparer.Ordinal))];

    /// <summary>The registered format named <paramref name="name"/>; null for Kafka's own and for unknown names.</summary>
    public static IOrderMessageFormat? Registered(MessageFormatRegistry registered, string name) =>
        !BuiltIn.Contains(name, StringComparer.Ordinal) && registered.TryGet(name, out var format) ? format : null;

    /// <summary>The format named in <paramref name="options"/>, behind the UTF-8 check every message goes through.</summary>
    public static IMessageFormat Create(KafkaSourceOptions options) => new Utf8CheckedFormat(options.Format switch
    {
        Affinsy => new AffinsyMessageFormat(),
        LineItem => new LineItemMessageFormat(options.OrderIdle),
        _ when options.Decoder is { } decoder => new RegisteredMessageFormat(decoder),
        _ => throw new InvalidOperationException($"format '{options.Format}' is neither one of {string.Join(", ", BuiltIn)} nor bound to a registered format"),
    });
}
