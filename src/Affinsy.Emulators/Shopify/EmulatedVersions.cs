using System.Globalization;

namespace Affinsy.Emulators.Shopify;

/// <summary>
/// Which Admin API version the emulated shop serves, from its own clock, as shopify.dev "About Shopify API versioning"
/// (https://shopify.dev/docs/api/usage/versioning) describes: quarterly stable versions (YYYY-01/04/07/10) released on
/// the first day of the quarter at 17:00 UTC, each supported 12 months; a request to a version no longer supported
/// falls forward to the oldest supported stable one, and <c>X-Shopify-API-Version</c> names what was served.
/// Written apart from the connector's calendar so that a mistake in one is caught by the other.
/// </summary>
public static class EmulatedVersions
{
    /// <summary>The version served for <paramref name="requested"/> at <paramref name="now"/>; null when it is not a version at all (404).</summary>
    public static string? Serve(string requested, DateTimeOffset now)
    {
        if (requested == "unstable")
        {
            return requested;
        }

        if (!DateTime.TryParseExact(requested + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            || month.Month % 3 != 1)
        {
            return null;
        }

        var released = new DateTimeOffset(month.Year, month.Month, 1, 17, 0, 0, TimeSpan.Zero);
        var oldest = Oldest(now);
        if (released.AddMonths(12) <= now)
        {
            return Name(oldest);
        }

        // A version not released yet is a release candidate: served as asked (as Shopify does).
        return requested;
    }

    /// <summary><c>groupObjects</c> defaults to false from 2026-01 (changelog 2025-10-29, "Bulk operations group objects default changed to false").</summary>
    public static bool GroupsByDefault(string served) => string.CompareOrdinal(served, "2026-01") < 0;

    /// <summary>The <c>groupObjects</c> argument exists from 2025-07 (changelog "Optional groupObjects argument in bulk operations mutations").</summary>
    public static bool HasGroupObjects(string served) => served == "unstable" || string.CompareOrdinal(served, "2025-07") >= 0;

    /// <summary>Several bulk query operations may run at once from 2026-01; before, one per app and shop.</summary>
    public static bool RunsBulkQueriesConcurrently(string served) => served == "unstable" || string.CompareOrdinal(served, "2026-01") >= 0;

    /// <summary>The newest stable version released at <paramref name="now"/> (what a new app would pin).</summary>
    public static string Newest(DateTimeOffset now) => Name(NewestRelease(now));

    private static DateTimeOffset Oldest(DateTimeOffset now) => NewestRelease(now).AddMonths(-9);

    private static DateTimeOffset NewestRelease(DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.Year, ((now.Month - 1) / 3 * 3) + 1, 1, 17, 0, 0, TimeSpan.Zero);
        return start > now ? start.AddMonths(-3) : start;
    }

    private static string Name(DateTimeOffset release) => release.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
