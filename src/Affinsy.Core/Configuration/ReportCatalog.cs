namespace Affinsy.Core.Configuration;

/// <summary>
/// The report templates and params Affinsy accepts, so <c>validate</c> refuses what <c>POST /reports</c> would
/// answer with 400. Source: /work/shared/AFFINSY_API.md, "Reports" (the template table, also served by
/// <c>GET /templates</c>) and "Params" (names and ranges; RFM <c>bins</c> 2-10 as the reference server enforces).
/// </summary>
internal static class ReportCatalog
{
    public static readonly IReadOnlyList<string> MbaTemplates = ["standard_mba", "first_order", "repeat_purchase", "high_value_baskets", "churning_analysis"];

    public static readonly IReadOnlyList<string> RfmTemplates = ["standard_rfm", "new_customer_cohort"];

    public static IEnumerable<string> Templates => MbaTemplates.Concat(RfmTemplates);

    /// <summary>Checks one param of an MBA report: what is wrong, or null when the value is accepted.</summary>
    public static string? MbaProblem(string name, string value, string shown) => name switch
    {
        "min_support" => Decimal(value, shown, x => x is > 0m and <= 1m, "a number greater than 0 and at most 1 (a share of baskets: 0.01 is 1%)"),
        "min_confidence" => Decimal(value, shown, x => x is >= 0m and <= 1m, "a number from 0 to 1"),
        "min_lift" => Decimal(value, shown, x => x >= 0m, "a number 0 or greater"),
        "scope" => Choice(value, shown, "order", "customer"),
        "customer_scope" => Choice(value, shown, "all", "first_order", "repeat", "high_value", "churning"),
        "max_len" => Whole(value, shown, 2, 10),
        "max_rules" => Whole(value, shown, 1, 100_000),
        "max_consequent" => Whole(value, shown, 1, 9),
        _ => "is not an MBA param" + Suggestions.DidYouMean(name, ["min_support", "min_confidence", "scope", "customer_scope", "max_len", "max_rules", "min_lift", "max_consequent"]),
    };

    /// <summary>Checks one param of an RFM report: what is wrong, or null when the value is accepted.</summary>
    public static string? RfmProblem(string name, string value, string shown) => name switch
    {
        "customer_scope" => Choice(value, shown, "all", "new_90d"),
        "bins" => Whole(value, shown, 2, 10),
        _ => "is not an RFM param" + Suggestions.DidYouMean(name, ["customer_scope", "bins"]),
    };

    private static string? Decimal(string value, string shown, Func<decimal, bool> inRange, string expected) =>
        decimal.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) && inRange(x)
            ? null
            : $"expected {expected}, got {shown}";

    private static string? Whole(string value, string shown, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var x) && x >= min && x <= max
            ? null
            : $"expected a whole number from {min} to {max}, got {shown}";

    private static string? Choice(string value, string shown, params string[] allowed) =>
        allowed.Contains(value, StringComparer.Ordinal) ? null : $"{shown} is not allowed" + Suggestions.DidYouMean(value, allowed);
}
