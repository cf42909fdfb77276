using System.Globalization;
using System.Text.RegularExpressions;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify;

/// <summary>
/// <c>type: shopify</c>. Keys: <c>shop</c> (required, <c>name.myshopify.com</c>), <c>access_token</c> (required,
/// from <c>${ENV}</c>), <c>api_version</c>, <c>mode</c> (bulk | graphql | rest), <c>lookback</c> (a duration such as 10m
/// or 2h; default 10m), <c>include_test_orders</c>, <c>include_cancelled</c>, <c>product_name</c>
/// (title | title_variant | sku), <c>customer_id</c> (customer | email_hash), <c>price</c> (paid | list),
/// <c>start_date</c> (ISO date), <c>group_objects</c>, <c>base_url</c>, <c>temp_dir</c> (an existing writable directory). The clock decides which API versions are
/// retired or about to retire (warnings, not errors: the configuration still works); an <c>api_version</c> that is not
/// <c>YYYY-01/04/07/10</c> or <c>unstable</c> is an error (Shopify answers it 404).
/// </summary>
internal sealed partial class ShopifySourcePlugin(TimeProvider time) : ISourcePlugin
{
    public const string DefaultApiVersion = ApiVersionCalendar.Default;

    private static readonly string[] Keys =
    [
        "type", "shop", "access_token", "api_version", "mode", "lookback", "include_test_orders", "include_cancelled",
        "product_name", "customer_id", "base_url", "price", "start_date", "group_objects",
        "temp_dir",
    ];

    public string Type => ShopifyOrderSource.Type;

    public BoundSource? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        section.RejectUnknownKeys(Keys);
        var before = section.Problems.All.Count;
        var shop = ReadShop(section);

        // Whether it came from ${ENV} is not visible here; the key name alone keeps it out of every message.
        var token = section.GetString("access_token", required: true);
        var version = ReadApiVersion(section);
        var startDate = ReadStartDate(section);
        var groupObjects = section.GetBool("group_objects", false);
        var mode = section.GetChoice("mode", "bulk", "bulk", "graphql", "rest") switch
        {
            "graphql" => ShopifyReadMode.GraphQL,
            "rest" => ShopifyReadMode.Rest,
            _ => ShopifyReadMode.Bulk,
        };
        var lookback = section.GetDuration("lookback", TimeSpan.FromMinutes(10), TimeSpan.FromDays(7));
        var mapping = ShopifyMappingOptions.Bind(section);
        var baseUrl = ReadBaseUrl(section, shop);
        var tempDirectory = ReadTempDirectory(section);
        if (section.Problems.All.Count != before || shop is null || token is null || baseUrl is null)
        {
            return null;
        }

        var options = new ShopifySourceOptions
        {
            Shop = shop,
            AccessToken = token,
            ApiVersion = version,
            Mode = mode,
            Lookback = lookback,
            BaseUrl = baseUrl,
            Mapping = mapping,
            StartDate = startDate,
            GroupObjects = groupObjects,
            TempDirectory = tempDirectory,
        };
        return new BoundSource(context => new ShopifyOrderSource(options, context))
        {
            Replayer = _ => new ShopifyRecordReplayer(mapping),
        };
    }

    private static string? ReadShop(ConfigSection section)
    {
        var shop = section.GetString("shop", required: true);
        if (shop is not null && !ShopDomain().IsMatch(shop))
        {
            section.Report("shop", $"expected the shop's myshopify domain like 'my-store.myshopify.com', got {section.Describe("shop")}; "
                + "find it in the Shopify admin under Settings > Domains");
        }

        return shop;
    }

    private string ReadApiVersion(ConfigSection section)
    {
        var version = section.GetString("api_version") ?? DefaultApiVersion;
        if (version != "unstable" && ApiVersionCalendar.ReleasedAt(version) is null)
        {
            // Shopify answers any other version 404 on every request: refused here rather than failing every sync.
            section.Report("api_version", $"got {section.Describe("api_version")}, which is not a Shopify API version: Shopify releases stable versions "
                + $"quarterly, named YYYY-01, YYYY-04, YYYY-07 and YYYY-10 (plus 'unstable'), and answers any other version 404. "
                + $"Set api_version: {ApiVersionCalendar.Nearest(version, time.GetUtcNow())}");
        }
        else if (ApiVersionCalendar.Warning(version, time.GetUtcNow()) is { } warning)
        {
            section.Warn("api_version", warning);
        }

        return version;
    }

    private static DateTimeOffset? ReadStartDate(ConfigSection section)
    {
        if (section.GetString("start_date") is not { } start)
        {
            return null;
        }

        if (DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        section.Report("start_date", $"expected an ISO date like '2024-01-01' (orders updated on or after it, UTC), got {section.Describe("start_date")}");
        return null;
    }

    /// <summary><c>temp_dir</c>: where bulk results are reassembled; it must exist and take files (checked now, and again before each export).</summary>
    private static string? ReadTempDirectory(ConfigSection section)
    {
        var directory = section.GetFilePath("temp_dir", required: false, mustExist: false);
        if (directory is not null && SpillDirectory.Problem(directory) is { } problem)
        {
            section.Report("temp_dir", $"the directory {directory} {problem}; bulk exports are reassembled there ({SpillDirectory.SizeHint})");
        }

        return directory;
    }

    /// <summary><c>base_url</c> when given (emulators, proxies), otherwise the shop's own https address.</summary>
    private static Uri? ReadBaseUrl(ConfigSection section, string? shop)
    {
        if (section.GetString("base_url") is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
            {
                section.Report("base_url", $"expected an absolute http(s) URL, got {section.Describe("base_url")}");
            }

            return baseUrl;
        }

        return shop is not null && ShopDomain().IsMatch(shop) ? new Uri("https://" + shop) : null;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\.myshopify\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex ShopDomain();
}
