using System.Text.Json.Serialization;

namespace Affinsy.Reference.Reports;

/// <summary>The two report kinds the contract knows; on the wire <c>"MBA"</c> and <c>"RFM"</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportType>))]
internal enum ReportType
{
    /// <summary>Market basket analysis: frequent itemsets and association rules.</summary>
    [JsonStringEnumMemberName("MBA")]
    Mba,

    /// <summary>Recency, frequency, monetary scoring and segments.</summary>
    [JsonStringEnumMemberName("RFM")]
    Rfm,
}
