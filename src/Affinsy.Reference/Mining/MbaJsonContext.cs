using System.Text.Json.Serialization;

namespace Affinsy.Reference.Mining;

/// <summary>Source-generated serialization of the MBA results, snake_case as the contract wants.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MbaResults))]
internal sealed partial class MbaJsonContext : JsonSerializerContext;
