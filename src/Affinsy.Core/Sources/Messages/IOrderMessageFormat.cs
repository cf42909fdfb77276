using Affinsy.Core.Configuration;

namespace Affinsy.Core.Sources.Messages;

/// <summary>
/// A message format one connector contributes to the sources that read one record per message (a Kafka topic's
/// <c>format:</c>). It exists so that a store connector can say how its own payloads (a Shopify order webhook, a
/// WooCommerce order) become orders without the message source referencing that connector, and without the store
/// connector referencing the message source and its native client: both meet here, in Core. Registered by name in
/// <see cref="MessageFormatRegistry"/> (<see cref="SourceRegistry.MessageFormats"/>) by the connector's own
/// <c>AddXxxSource()</c>. A format whose messages are each one whole order fits this contract; one that gathers an
/// order from several messages (Kafka's <c>line_item</c>) belongs to the message source itself.
/// </summary>
public interface IOrderMessageFormat
{
    /// <summary>The <c>format:</c> value that selects it.</summary>
    string Name { get; }

    /// <summary>
    /// The keys of the source section this format reads (for example <c>include_test_orders</c>). The message source
    /// accepts them beside its own and reports one given with a format that does not take it.
    /// </summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>
    /// Reads <see cref="Keys"/> from the source section, reporting every problem through the section
    /// (<see cref="ConfigSection.Report"/>), and returns the decoder the source will use. Called while the
    /// configuration is validated: no I/O.
    /// </summary>
    IOrderMessageDecoder Bind(ConfigSection section);
}

/// <summary>
/// A bound format: turns one message value into what it means for the pipeline. Called on the source's reading
/// thread for every message, so it holds no per-message state and should not allocate beyond the order it builds.
/// The source attaches the message's origin (its position and raw value) to the draft and to any dead letter, the
/// same way for every format.
/// </summary>
public interface IOrderMessageDecoder
{
    /// <summary>Decodes one message value (UTF-8 JSON, already checked to be valid UTF-8; empty for a null value).</summary>
    DecodedMessage Decode(ReadOnlySpan<byte> value);
}
