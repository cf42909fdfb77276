namespace Affinsy.Reference.Reports;

/// <summary>
/// The wire spellings of the report enums, for parsing requests with messages of our own
/// (the JSON attributes on the enums carry the same spellings for serialization; a test pins that they agree).
/// </summary>
internal static class WireNames
{
    internal static readonly IReadOnlyList<(string Name, CustomerScope Value)> CustomerScopes =
    [
        ("all", CustomerScope.All),
        ("first_order", CustomerScope.FirstOrder),
        ("repeat", CustomerScope.Repeat),
        ("high_value", CustomerScope.HighValue),
        ("churning", CustomerScope.Churning),
        ("new_90d", CustomerScope.New90d),
    ];

    internal static readonly IReadOnlyList<(string Name, BasketScope Value)> BasketScopes =
    [
        ("order", BasketScope.Order),
        ("customer", BasketScope.Customer),
    ];

    internal static readonly IReadOnlyList<(string Name, ReportType Value)> ReportTypes =
    [
        ("MBA", ReportType.Mba),
        ("RFM", ReportType.Rfm),
    ];

    internal static string Of(CustomerScope scope) => Find(CustomerScopes, scope);

    internal static string Of(BasketScope scope) => Find(BasketScopes, scope);

    internal static string Of(ReportType type) => Find(ReportTypes, type);

    private static string Find<T>(IReadOnlyList<(string Name, T Value)> names, T value)
        where T : struct, Enum
    {
        foreach (var (name, candidate) in names)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "Not a defined value.");
    }
}
