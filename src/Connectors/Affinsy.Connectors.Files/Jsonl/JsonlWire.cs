using System.Text.Json.Serialization;

namespace Affinsy.Connectors.Files.Jsonl;

/// <summary>One line of a JSON Lines export: an order shaped like the Affinsy API's.</summary>
internal sealed record JsonlOrder(
    [property: JsonConverter(typeof(IdConverter))] string? OrderId,
    [property: JsonConverter(typeof(IdConverter))] string? CustomerId,
    string? OrderDate,
    string? Currency,
    IReadOnlyList<JsonlLineItem?>? LineItems);

/// <summary>One line item of <see cref="JsonlOrder"/>.</summary>
internal sealed record JsonlLineItem(string? ProductName, decimal UnitPrice, decimal Quantity);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(JsonlOrder))]
internal sealed partial class JsonlJsonContext : JsonSerializerContext;
