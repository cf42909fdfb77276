using System.Text.Json.Serialization;

namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>Source-generated serialization for the WooCommerce wire types.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WooOrder))]
[JsonSerializable(typeof(List<WooOrder>))]
[JsonSerializable(typeof(List<WooRefund>))]
[JsonSerializable(typeof(WooError))]
internal sealed partial class WooJsonContext : JsonSerializerContext;

/// <summary>A WordPress REST error body: <c>{"code", "message", "data": {"status"}}</c>.</summary>
internal sealed record WooError(string? Code, string? Message);
