using System.Text.Json.Serialization;
using Affinsy.Connectors.Shopify.Reading;

namespace Affinsy.Connectors.Shopify.Api;

/// <summary>GraphQL wire types (camelCase; Shopify sends money amounts and counts as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GqlRequest))]
[JsonSerializable(typeof(GqlResponse<GqlOrdersData>))]
[JsonSerializable(typeof(GqlResponse<GqlBulkRunData>))]
[JsonSerializable(typeof(GqlResponse<GqlCurrentBulkData>))]
[JsonSerializable(typeof(GqlResponse<GqlNodeData>))]
[JsonSerializable(typeof(GqlResponse<GqlCheckData>))]
[JsonSerializable(typeof(GqlOrder))]
[JsonSerializable(typeof(GqlLineItem))]
internal sealed partial class GraphQLJsonContext : JsonSerializerContext;

/// <summary>REST and webhook wire types, and the checkpoint (snake_case).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RestOrdersPage))]
[JsonSerializable(typeof(RestOrder))]
[JsonSerializable(typeof(ShopifyCheckpoint))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
