using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Affinsy.Connectors.WooCommerce.Mapping;

namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// Explains a store's answer in words a merchant can act on: WordPress error codes, HTML pages from security
/// plugins or maintenance mode, and missing routes.
/// </summary>
internal static partial class StoreAnswer
{
    public static bool IsHtml(string? contentType, ReadOnlySpan<byte> body)
    {
        if (contentType is not null && contentType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var text = body.TrimStart(" \t\r\n"u8);
        return text.Length > 0 && text[0] == (byte)'<';
    }

    /// <summary>The content type and the page's title (or first characters), for a message.</summary>
    public static string DescribeHtml(string? contentType, ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 16_384)]);
        var title = TitlePattern().Match(text) is { Success: true } m ? m.Groups[1].Value : text;
        title = WhiteSpace().Replace(title, " ").Trim();
        if (title.Length > 80)
        {
            title = title[..80] + "...";
        }

        return $"content-type '{contentType ?? "(none)"}', title '{title}'";
    }

    public static WooError? ParseError(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, WooJsonContext.Default.WooError);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The message for an answer that retrying will not fix.</summary>
    public static string Explain(HttpStatusCode status, string? contentType, ReadOnlySpan<byte> body, Uri site, StoreAuth auth = StoreAuth.Basic)
    {
        var code = (int)status;
        if (IsHtml(contentType, body))
        {
            return $"The store at {site} answered HTTP {code} with an HTML page instead of JSON ({DescribeHtml(contentType, body)}). "
                + "A security plugin, firewall, cache or maintenance page is answering in front of the WooCommerce REST API: "
                + "allow /wp-json/wc/v3/ for this client, or end maintenance mode.";
        }

        var error = ParseError(body);
        return (code, error?.Code) switch
        {
            (401, "woocommerce_rest_cannot_view") =>
                $"The store at {site} refused to list orders (woocommerce_rest_cannot_view): the consumer key lacks read permission "
                + "(WooCommerce > Settings > Advanced > REST API: give it Read or Read/Write), or the request arrived without credentials "
                + (auth == StoreAuth.OAuth1
                    ? "(a plugin or proxy dropped the oauth_* query parameters)."
                    : "(the host strips the Authorization header: try auth: query; or WordPress does not see the request as https, "
                        + "behind a proxy that ends TLS, and so ignores Basic auth: try auth: oauth1)."),
            // check_permissions: the key authenticated but is write-only (the code is the one of a wrong secret).
            (401, "woocommerce_rest_authentication_error") when error?.Message?.Contains("read permission", StringComparison.OrdinalIgnoreCase) == true =>
                $"The store at {site} accepted the consumer key but it lacks read permission ({error.Message}): "
                + "WooCommerce > Settings > Advanced > REST API, give it Read or Read/Write.",
            (401, _) =>
                $"The store at {site} rejected the consumer key or secret (HTTP 401 {error?.Code ?? "without a code"}: {error?.Message ?? "no message"}). "
                + (auth == StoreAuth.OAuth1
                    ? "Check consumer_key / consumer_secret; with OAuth 1.0a also that url is exactly the store's address (www or not, "
                        + "sub-folder included: it is part of the signature) and that this machine's clock is within 15 minutes of the store's."
                    : "Check consumer_key / consumer_secret; if they are right, the host may strip the Authorization header (try auth: query)."),
            (404, "rest_no_route") =>
                $"The store at {site} has no route /wp-json/wc/v3/orders (rest_no_route): WooCommerce or its REST API is "
                + "disabled, the url is not the site root, or pretty permalinks are off (Settings > Permalinks: any setting but Plain).",
            (404, _) =>
                $"The store at {site} answered 404 for /wp-json/wc/v3/orders: check that url is the WordPress site root.",
            _ => $"The store at {site} answered HTTP {code} {error?.Code}: {error?.Message ?? "(no message)"}".TrimEnd(),
        };
    }

    [GeneratedRegex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitlePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
