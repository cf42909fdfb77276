using System.Text.Json.Serialization;

namespace Affinsy.Reference.Reports;

/// <summary>What one MBA basket is: the contract's <c>scope</c> param.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BasketScope>))]
internal enum BasketScope
{
    /// <summary>One basket per order: the products bought together at once.</summary>
    [JsonStringEnumMemberName("order")]
    Order,

    /// <summary>One basket per customer: every product the customer ever bought (in the selection).</summary>
    [JsonStringEnumMemberName("customer")]
    Customer,
}
