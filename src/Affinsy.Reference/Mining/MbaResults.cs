using System.Text.Json;

namespace Affinsy.Reference.Mining;

/// <summary>The MBA report's <c>results</c> object, as <c>GET /reports/{id}</c> returns it. Metrics are rounded to 6 places.</summary>
internal sealed record MbaResults(
    int Baskets,
    int DistinctProducts,
    int FrequentItemsets,
    int RulesTotal,
    IReadOnlyList<MbaRule> Rules,
    IReadOnlyList<MbaTopProduct> TopProducts,
    IReadOnlyList<string> Insights)
{
    /// <summary>The results as UTF-8 JSON bytes (what is stored and served).</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, MbaJsonContext.Default.MbaResults);
}
