using System.Globalization;

namespace Affinsy.Connectors.Shopify.Api;

/// <summary>
/// Shopify's quarterly Admin API calendar (shopify.dev "About Shopify API versioning",
/// https://shopify.dev/docs/api/usage/versioning): a stable version <c>YYYY-01/04/07/10</c> is released on the first day
/// of its month at 17:00 UTC and supported at least 12 months. A request to a retired version is answered as the oldest
/// supported one ("falls forward"), so a pinned version silently changes behaviour when it retires: this calendar lets
/// validation and each sync say so before it happens.
/// </summary>
internal static class ApiVersionCalendar
{
    /// <summary>The newest stable version on 2026-12-02; nothing depends on Shopify's own default.</summary>
    public const string Default = "2026-10";

    /// <summary>Warn this long before a configured version retires.</summary>
    public static readonly TimeSpan WarnBefore = TimeSpan.FromDays(90);

    /// <summary>Release instant of a stable version, or null when the text is not one (<c>unstable</c>, a wrong month).</summary>
    public static DateTimeOffset? ReleasedAt(string version) =>
        YearMonth(version) is { } release && release.Month is 1 or 4 or 7 or 10 ? release : null;

    /// <summary>When a stable version stops being served (12 months after its release).</summary>
    public static DateTimeOffset? RetiresAt(string version) => ReleasedAt(version)?.AddMonths(12);

    /// <summary>
    /// What to warn about a configured version at <paramref name="now"/>, or null when it is current. The message says
    /// which version Shopify serves instead and what to set.
    /// </summary>
    public static string? Warning(string version, DateTimeOffset now)
    {
        if (version == "unstable")
        {
            return "'unstable' changes without notice; use a stable version such as " + Newest(now);
        }

        if (ReleasedAt(version) is not { } released)
        {
            return null;
        }

        var retires = released.AddMonths(12);
        if (released > now)
        {
            return $"{version} is not released yet (release candidate until {released:yyyy-MM-dd}); use {Newest(now)}, the newest stable version";
        }

        if (retires <= now)
        {
            return $"{version} was retired on {retires:yyyy-MM-dd}: Shopify answers it as the oldest supported version ({OldestSupported(now)}), "
                + $"whose behaviour differs. Set api_version: {Newest(now)} (the newest stable version)";
        }

        return retires - now <= WarnBefore
            ? $"{version} retires on {retires:yyyy-MM-dd} (in {(int)Math.Ceiling((retires - now).TotalDays)} days); after that Shopify answers it as a newer version. Set api_version: {Newest(now)}"
            : null;
    }

    /// <summary>
    /// For text that is not a version: the stable versions either side of a month that is not a quarter's first
    /// (2026-02: "2026-01 or 2026-04"), else the newest stable at <paramref name="now"/>.
    /// </summary>
    public static string Nearest(string version, DateTimeOffset now)
    {
        if (YearMonth(version) is { } month)
        {
            var before = QuarterStart(month);
            return $"{Name(before)} or {Name(before.AddMonths(3))} (the stable versions either side; {Newest(now)} is the newest)";
        }

        return $"{Newest(now)} (the newest stable version)";
    }

    /// <summary>The newest stable version released by <paramref name="now"/>.</summary>
    public static string Newest(DateTimeOffset now)
    {
        var quarter = QuarterStart(now);
        if (quarter > now)
        {
            quarter = quarter.AddMonths(-3);
        }

        return Name(quarter);
    }

    /// <summary>The oldest version still supported at <paramref name="now"/> (released less than 12 months ago).</summary>
    public static string OldestSupported(DateTimeOffset now) => Name(ReleasedAt(Newest(now))!.Value.AddMonths(-9));

    private static string Name(DateTimeOffset release) => release.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>YYYY-MM</c> as the first of that month at 17:00 UTC (a release's hour), or null when the text is no month;
    /// years 2019 (the first versioned API) to 9998, so a release plus a year stays a date.
    /// </summary>
    private static DateTimeOffset? YearMonth(string version) =>
        version.Length == 7 && version[4] == '-'
        && int.TryParse(version.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
        && int.TryParse(version.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
        && month is >= 1 and <= 12 && year is >= 2019 and <= 9998
            ? new DateTimeOffset(year, month, 1, 17, 0, 0, TimeSpan.Zero)
            : null;

    /// <summary>The release instant of the quarter <paramref name="at"/> falls in.</summary>
    private static DateTimeOffset QuarterStart(DateTimeOffset at) => new(at.Year, ((at.Month - 1) / 3 * 3) + 1, 1, 17, 0, 0, TimeSpan.Zero);
}
