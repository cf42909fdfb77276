using System.Text.Json.Serialization;

namespace Affinsy.Reference.Reports;

/// <summary>
/// Which orders a report looks at, as the contract's <c>customer_scope</c> param defines them.
/// MBA accepts every value but <see cref="New90d"/>; RFM accepts <see cref="All"/> and <see cref="New90d"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CustomerScope>))]
internal enum CustomerScope
{
    [JsonStringEnumMemberName("all")]
    All,

    [JsonStringEnumMemberName("first_order")]
    FirstOrder,

    [JsonStringEnumMemberName("repeat")]
    Repeat,

    [JsonStringEnumMemberName("high_value")]
    HighValue,

    [JsonStringEnumMemberName("churning")]
    Churning,

    [JsonStringEnumMemberName("new_90d")]
    New90d,
}
