using System.Globalization;
using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Connectors.WooCommerce.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce;

/// <summary>
/// <c>type: woocommerce</c>. Keys: <c>url</c> (site root, https unless <c>allow_insecure_http: true</c>),
/// <c>consumer_key</c> / <c>consumer_secret</c> (from <c>${ENV}</c>), <c>statuses</c> (default processing, completed,
/// on-hold), <c>lookback</c> (default 10m), <c>page_size</c> (1-100, default 100), <c>product_name</c> (name | sku),
/// <c>customer_id</c> (customer | email_hash), <c>requests_per_second</c> (optional cap), <c>request_timeout</c> (default 60s),
/// <c>auth</c> (auto | basic | query | oauth1), <c>oauth_signature_method</c> (HMAC-SHA256 | HMAC-SHA1), <c>start_date</c>
/// (ISO date or date-time: the first sync reads orders modified at or after it).
/// </summary>
internal sealed class WooCommerceSourcePlugin : ISourcePlugin
{
    private static readonly string[] Keys =
    [
        "type", "url", "allow_insecure_http", "consumer_key", "consumer_secret", "statuses", "lookback", "page_size",
        "product_name", "customer_id", "requests_per_second", "request_timeout", "auth", "oauth_signature_method", "start_date",
    ];

    private static readonly string[] KnownStatuses =
        ["any", "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash", "checkout-draft"];

    public string Type => WooCommerceOrderSource.Type;

    public BoundSource? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = BindOptions(section);
        return options is null ? null : new BoundSource(context => Create(options, context.HttpClients.CreateClient(WooCommerceHttp.Client), context))
        {
            Replayer = _ => new WooCommerceRecordReplayer(options.Mapping),
        };
    }

    internal static WooCommerceOrderSource Create(WooCommerceSourceOptions options, HttpClient http, SourceContext context, Func<WooCommerceClientOptions, WooCommerceClientOptions>? tune = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var clientOptions = new WooCommerceClientOptions
        {
            SiteUrl = options.Url,
            ConsumerKey = options.ConsumerKey,
            ConsumerSecret = options.ConsumerSecret,
            RequestsPerSecond = options.RequestsPerSecond,
            RequestTimeout = options.RequestTimeout,
            Auth = options.Auth,
            SignatureMethod = options.SignatureMethod,
        };
        var logger = context.LoggerFactory.CreateLogger("Affinsy.Connectors.WooCommerce");
        var client = new WooCommerceRestClient(http, tune?.Invoke(clientOptions) ?? clientOptions, context.TimeProvider, logger);
        return new WooCommerceOrderSource(client, options, logger);
    }

    internal static WooCommerceSourceOptions? BindOptions(ConfigSection section)
    {
        section.RejectUnknownKeys(Keys);
        var before = section.Problems.All.Count;
        var url = Url(section);
        var key = section.GetString("consumer_key", required: true);
        var secret = section.GetString("consumer_secret", required: true);
        var statuses = Statuses(section);
        var lookback = section.GetDuration("lookback", TimeSpan.FromMinutes(10), TimeSpan.FromDays(7));
        var timeout = section.GetDuration("request_timeout", TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10));
        var pageSize = section.GetInt("page_size", 100, 1, 100);
        var productName = section.GetChoice("product_name", "name", "name", "sku");
        var customerId = section.GetChoice("customer_id", "customer", "customer", "email_hash");
        var rate = RequestsPerSecond(section);
        var auth = Auth(section, url);
        var signature = section.GetChoice("oauth_signature_method", "HMAC-SHA256", "HMAC-SHA256", "HMAC-SHA1");
        var startDate = StartDate(section);
        if (section.Problems.All.Count != before || url is null || key is null || secret is null)
        {
            return null;
        }

        if (timeout <= TimeSpan.Zero)
        {
            section.Report("request_timeout", "must be more than zero");
            return null;
        }

        return new WooCommerceSourceOptions
        {
            Url = url,
            ConsumerKey = key,
            ConsumerSecret = secret,
            Statuses = statuses,
            Lookback = lookback,
            RequestTimeout = timeout,
            PageSize = pageSize,
            RequestsPerSecond = rate,
            Auth = auth,
            SignatureMethod = signature == "HMAC-SHA1" ? OAuthSignatureMethod.HmacSha1 : OAuthSignatureMethod.HmacSha256,
            StartDate = startDate,
            Mapping = new WooCommerceMapping
            {
                ProductName = productName == "sku" ? ProductNameField.Sku : ProductNameField.Name,
                CustomerId = customerId == "email_hash" ? CustomerIdField.EmailHash : CustomerIdField.Customer,
            },
        };
    }

    private static Uri? Url(ConfigSection section)
    {
        var text = section.GetString("url", required: true);
        var allowHttp = section.GetBool("allow_insecure_http", false);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            section.Report("url", $"expected the shop's site root such as https://shop.example.com, got {section.Describe("url")}");
            return null;
        }

        if (url.Scheme == Uri.UriSchemeHttp && !allowHttp)
        {
            section.Report("url", "must use https: over plain http the orders, buyers' e-mails included, travel unencrypted "
                + "(for a store without TLS, set allow_insecure_http: true; requests are then signed with OAuth 1.0a and the secret is never sent)");
            return null;
        }

        if (url.AbsolutePath.Contains("/wp-json", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(url.Query))
        {
            section.Report("url", $"give the site root (https://shop.example.com), not an API path or query: got {section.Describe("url")}");
            return null;
        }

        return url;
    }

    private static StoreAuth Auth(ConfigSection section, Uri? url)
    {
        var auth = section.GetChoice("auth", "auto", "auto", "basic", "query", "oauth1") switch
        {
            "basic" => StoreAuth.Basic,
            "query" => StoreAuth.Query,
            "oauth1" => StoreAuth.OAuth1,
            _ => StoreAuth.Auto,
        };
        if (auth is StoreAuth.Basic or StoreAuth.Query && url?.Scheme == Uri.UriSchemeHttp)
        {
            // WC_REST_Authentication::authenticate reads Basic and query credentials only when is_ssl().
            section.Report("auth", $"WooCommerce ignores {section.Describe("auth")} credentials over plain http and accepts only OAuth 1.0a: use auth: oauth1 (or auto)");
        }

        return auth;
    }

    private static DateTimeOffset? StartDate(ConfigSection section)
    {
        var text = section.GetString("start_date");
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        section.Report("start_date", $"expected an ISO date such as 2025-01-01 (midnight GMT) or a date-time such as 2025-01-01T00:00:00-05:00, got {section.Describe("start_date")}");
        return null;
    }

    private static IReadOnlyList<string> Statuses(ConfigSection section)
    {
        if (!section.Has("statuses"))
        {
            return WooCommerceSourceOptions.DefaultStatuses;
        }

        var statuses = section.GetStringList("statuses");
        foreach (var status in statuses)
        {
            if (!KnownStatuses.Contains(status, StringComparer.Ordinal))
            {
                section.Report("statuses", $"'{status}' is not a WooCommerce order status" + $" (known: {string.Join(", ", KnownStatuses)})");
            }
            else if (WooCommerceOrderMapper.SkippedStatuses.Contains(status))
            {
                section.Report("statuses", $"'{status}' orders are never sent to Affinsy (they were not sold); remove it");
            }
        }

        if (statuses.Count == 0)
        {
            section.Report("statuses", "list at least one status (default: processing, completed, on-hold)");
        }

        return statuses;
    }

    private static double? RequestsPerSecond(ConfigSection section)
    {
        var text = section.GetString("requests_per_second");
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate <= 0 || rate > 1000)
        {
            section.Report("requests_per_second", $"expected a number of requests per second above 0 (0.5 is one request every 2 s), got {section.Describe("requests_per_second")}");
            return null;
        }

        return rate;
    }
}
