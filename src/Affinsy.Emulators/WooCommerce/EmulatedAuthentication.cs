using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Affinsy.Emulators.WooCommerce;

/// <summary>
/// The store's side of authentication, ported from woocommerce/woocommerce
/// <c>plugins/woocommerce/includes/class-wc-rest-authentication.php</c> (<c>WC_REST_Authentication</c>), with its own
/// percent-encoding (not the connector's), so a client signing the wrong way fails here as on a real store:
/// <list type="bullet">
/// <item>Basic auth and the <c>consumer_key</c>/<c>consumer_secret</c> query are read only over https (<c>is_ssl()</c>);
/// over http they are ignored, the request is anonymous, and listing orders answers 401 woocommerce_rest_cannot_view.</item>
/// <item>OAuth 1.0a: parameters from the query (decoded as PHP does, '+' as space) and an <c>Authorization: OAuth</c>
/// header; all five <c>oauth_*</c> parameters required; HMAC-SHA1 or HMAC-SHA256 with key = secret + '&amp;'; the base
/// string is <c>GET&amp;rawurlencode(home url + route)&amp;</c> the parameters sorted by key (strcmp), key and value
/// each rawurlencoded, then each <c>k=v</c> rawurlencoded again and joined with <c>%26</c>.</item>
/// <item>The timestamp must be within 15 minutes of the store's clock, and a nonce is refused once used. (WooCommerce
/// keeps one nonce per timestamp second in the key's row; this keeps every nonce for the 15 minutes, which is
/// stricter and catches a client that repeats one.)</item>
/// <item>A key without read permission: 401 woocommerce_rest_authentication_error (<c>check_permissions</c>).</item>
/// </list>
/// </summary>
internal sealed class EmulatedAuthentication(TimeProvider time)
{
    private static readonly string[] OAuthNames = ["oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"];
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);

    public bool KeyCanRead { get; set; } = true;

    /// <summary>Null when the request may list orders, else WooCommerce's 401 error code and message.</summary>
    public (string Code, string Message)? Check(HttpRequest request, Uri home, bool https)
    {
        var (authenticated, error) = https ? Basic(request) : (false, null);
        if (!authenticated && error is null)
        {
            (authenticated, error) = OAuth(request, home, https);
        }

        if (error is not null)
        {
            return error;
        }

        if (!authenticated)
        {
            // Anonymous: the orders controller's permission check (wc_rest_check_post_permissions) refuses.
            return ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
        }

        return KeyCanRead ? null : ("woocommerce_rest_authentication_error", "The API key provided does not have read permissions.");
    }

    private static (bool, (string, string)?) Basic(HttpRequest request)
    {
        string? key = request.Query["consumer_key"];
        string? secret = request.Query["consumer_secret"];
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
        {
            (key, secret) = (null, null);
            if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
                && header.Scheme == "Basic" && header.Parameter is { } parameter)
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(parameter)).Split(':', 2);
                (key, secret) = (pair[0], pair.Length > 1 ? pair[1] : null);
            }
        }

        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret) || key != WooCommerceEmulator.ConsumerKey)
        {
            return (false, null);
        }

        return secret == WooCommerceEmulator.ConsumerSecret
            ? (true, null)
            : (false, ("woocommerce_rest_authentication_error", "Consumer secret is invalid."));
    }

    private (bool, (string, string)?) OAuth(HttpRequest request, Uri home, bool https)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            parameters[key] = value.ToString();
        }

        foreach (var (key, value) in HeaderParameters(request.Headers.Authorization.ToString()))
        {
            parameters[key] = value;
        }

        var missing = OAuthNames.Where(n => string.IsNullOrEmpty(parameters.GetValueOrDefault(n))).ToList();
        if (missing.Count == OAuthNames.Length)
        {
            return (false, null);
        }

        if (missing.Count > 0)
        {
            return (false, ("woocommerce_rest_authentication_missing_parameter", $"Missing OAuth parameter{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}"));
        }

        if (parameters["oauth_consumer_key"] != WooCommerceEmulator.ConsumerKey)
        {
            return (false, ("woocommerce_rest_authentication_error", "Consumer key is invalid."));
        }

        if (SignatureProblem(request, home, https, parameters) is { } problem)
        {
            return (false, ("woocommerce_rest_authentication_error", problem));
        }

        return TimestampAndNonce(parameters["oauth_timestamp"], parameters["oauth_nonce"]) is { } refused
            ? (false, ("woocommerce_rest_authentication_error", refused))
            : (true, null);
    }

    private static string? SignatureProblem(HttpRequest request, Uri home, bool https, SortedDictionary<string, string> parameters)
    {
        var path = request.Path.Value ?? string.Empty;
        if (path.StartsWith(home.AbsolutePath, StringComparison.Ordinal))
        {
            path = path[home.AbsolutePath.Length..];
        }

        var baseUri = RawUrlEncode((https ? "https" : "http") + "://" + home.Authority + home.AbsolutePath + path);
        var provided = Uri.UnescapeDataString(parameters["oauth_signature"].Replace(' ', '+'));
        var method = parameters["oauth_signature_method"];
        var signed = parameters.Where(p => p.Key != "oauth_signature")
            .Select(p => RawUrlEncode(RawUrlEncode(p.Key) + "=" + RawUrlEncode(p.Value)));
        var baseString = request.Method.ToUpperInvariant() + "&" + baseUri + "&" + string.Join("%26", signed);
        if (method is not ("HMAC-SHA1" or "HMAC-SHA256"))
        {
            return "Invalid signature - signature method is invalid.";
        }

        var key = Encoding.UTF8.GetBytes(WooCommerceEmulator.ConsumerSecret + "&");
        var data = Encoding.UTF8.GetBytes(baseString);
        var expected = Convert.ToBase64String(method == "HMAC-SHA1" ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(provided))
            ? null
            : "Invalid signature - provided signature does not match.";
    }

    private string? TimestampAndNonce(string timestampText, string nonce)
    {
        var now = time.GetUtcNow();
        if (!long.TryParse(timestampText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs((DateTimeOffset.FromUnixTimeSeconds(seconds) - now).Ticks) > Window.Ticks)
        {
            return "Invalid timestamp.";
        }

        lock (_gate)
        {
            foreach (var expired in _nonces.Where(n => n.Value < now - Window).Select(n => n.Key).ToList())
            {
                _nonces.Remove(expired);
            }

            return _nonces.TryAdd(nonce, now) ? null : "Invalid nonce - nonce has already been used.";
        }
    }

    // WC_REST_Authentication::parse_header: oauth_* pairs of an "OAuth " header, values url-decoded.
    private static IEnumerable<(string Key, string Value)> HeaderParameters(string header)
    {
        header = header.Trim();
        if (!header.StartsWith("OAuth ", StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (var part in header[6..].Split(','))
        {
            var pair = part.Trim().Split('=', 2);
            if (pair.Length == 2 && pair[0].StartsWith("oauth_", StringComparison.Ordinal))
            {
                yield return (pair[0], Uri.UnescapeDataString(pair[1].Trim('"')));
            }
        }
    }

    // PHP rawurlencode: every byte of the UTF-8 form except A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex).
    private static string RawUrlEncode(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
