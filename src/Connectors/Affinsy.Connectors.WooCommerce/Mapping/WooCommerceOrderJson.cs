using System.Text.Json;

namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>
/// Parses WooCommerce order JSON straight from UTF-8 bytes (a Kafka message, a webhook body) with the connector's
/// own wire types, so other readers map orders exactly as the REST source does.
/// </summary>
public static class WooCommerceOrderJson
{
    /// <summary>One order as the REST API, or an <c>order.*</c> webhook, sends it.</summary>
    /// <exception cref="JsonException">The bytes are not a WooCommerce order object.</exception>
    public static WooOrder Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, WooJsonContext.Default.WooOrder)
            ?? throw new JsonException("expected a WooCommerce order object, got null");
}
