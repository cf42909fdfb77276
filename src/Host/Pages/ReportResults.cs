using System.Text.Json;

namespace Affinsy.Host.Pages;

/// <summary>One association rule of an MBA report (AFFINSY_API.md, "Mining semantics").</summary>
internal sealed record MbaRule(IReadOnlyList<string> Antecedent, IReadOnlyList<string> Consequent, double Support, double Confidence, double Lift, long Count)
{
    public string Text => string.Join(" + ", Antecedent) + " \u2192 " + string.Join(" + ", Consequent);
}

/// <summary>The parts of an MBA report's <c>results</c> that the page shows.</summary>
internal sealed record MbaResults(long Baskets, long DistinctProducts, long RulesTotal, IReadOnlyList<MbaRule> Rules, IReadOnlyList<string> Insights)
{
    public static MbaResults Read(JsonElement results) => new(
        Long(results, "baskets"),
        Long(results, "distinct_products"),
        Long(results, "rules_total"),
        [.. Items(results, "rules").Select(r => new MbaRule(
            Strings(r, "antecedent"), Strings(r, "consequent"),
            Double(r, "support"), Double(r, "confidence"), Double(r, "lift"), Long(r, "count")))],
        Strings(results, "insights"));

    internal static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    internal static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        [.. Items(e, name).Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!)];

    internal static double Double(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    internal static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    internal static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>One RFM segment's row (AFFINSY_API.md, "RFM semantics").</summary>
internal sealed record RfmSegment(string Name, long Customers, double Share, double Revenue, double AvgRecencyDays, double AvgFrequency, double AvgMonetary);

/// <summary>The parts of an RFM report's <c>results</c> that the page shows.</summary>
internal sealed record RfmResults(string? ReferenceDate, long Customers, IReadOnlyList<RfmSegment> Segments, IReadOnlyList<string> Insights)
{
    public static RfmResults Read(JsonElement results) => new(
        MbaResults.Text(results, "reference_date"),
        MbaResults.Long(results, "customers"),
        [.. MbaResults.Items(results, "segments").Select(s => new RfmSegment(
            MbaResults.Text(s, "segment") ?? "?", MbaResults.Long(s, "customers"), MbaResults.Double(s, "share"),
            MbaResults.Double(s, "revenue"), MbaResults.Double(s, "avg_recency_days"), MbaResults.Double(s, "avg_frequency"),
            MbaResults.Double(s, "avg_monetary")))],
        MbaResults.Strings(results, "insights"));
}
