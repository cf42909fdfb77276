using System.Security.Cryptography;
using System.Text;

namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// OAuth 1.0a one-legged signing as WooCommerce verifies it over plain http (<c>WC_REST_Authentication::
/// check_oauth_signature</c> in woocommerce/woocommerce <c>plugins/woocommerce/includes/class-wc-rest-authentication.php</c>;
/// woocommerce.github.io/woocommerce-rest-api-docs "Authentication over HTTP"). Its quirks, which this follows:
/// <list type="bullet">
/// <item>no token: the HMAC key is the consumer secret as stored plus <c>&amp;</c> (not percent-encoded);</item>
/// <item>the signed parameters are every query parameter plus the <c>oauth_*</c> ones (no <c>oauth_version</c>), each
/// key and value percent-encoded (PHP <c>rawurlencode</c>: RFC 3986 unreserved characters kept), sorted by key;</item>
/// <item>the base URL is the site's home URL plus the route path (so <c>url</c> must be the store URL exactly, www or
/// not), with no query;</item>
/// <item>the parameters travel in the query string (the docs call it more reliable than the header in WordPress).</item>
/// </list>
/// A fresh nonce and timestamp per attempt: WooCommerce refuses a nonce it has seen and a timestamp more than 15
/// minutes from its clock.
/// </summary>
internal sealed class OAuthSigner(string consumerKey, string consumerSecret, OAuthSignatureMethod method, TimeProvider time)
{
    public string MethodName => method == OAuthSignatureMethod.HmacSha1 ? "HMAC-SHA1" : "HMAC-SHA256";

    /// <summary><paramref name="uri"/> with the <c>oauth_*</c> parameters and their signature added to its query.</summary>
    public Uri Sign(Uri uri)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Sign(uri, timestamp, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    }

    /// <summary>Signs with a given timestamp and nonce (tests compare against a signature computed by hand).</summary>
    internal Uri Sign(Uri uri, string timestamp, string nonce)
    {
        var query = uri.Query.Length > 1 ? uri.Query[1..] + "&" : string.Empty;
        var oauth = $"oauth_consumer_key={Encode(consumerKey)}&oauth_nonce={Encode(nonce)}&oauth_signature_method={MethodName}&oauth_timestamp={timestamp}";
        var signature = Signature(BaseString("GET", uri, query + oauth));
        return new Uri(uri.GetLeftPart(UriPartial.Path) + "?" + query + oauth + "&oauth_signature=" + Encode(signature));
    }

    /// <summary>
    /// The signature base string for <paramref name="query"/> (already percent-encoded pairs, as this client writes
    /// them): <c>METHOD&amp;enc(url)&amp;enc(sorted k=v joined by &amp;)</c>.
    /// </summary>
    internal static string BaseString(string httpMethod, Uri uri, string query)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = equals < 0 ? (pair, string.Empty) : (pair[..equals], pair[(equals + 1)..]);

            // Decoded then encoded again, as the server does with what PHP decoded: one canonical form.
            pairs.Add((Encode(Uri.UnescapeDataString(key)), Encode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key) is var byKey and not 0 ? byKey : string.CompareOrdinal(a.Value, b.Value));
        var parameters = string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
        return httpMethod + "&" + Encode(uri.GetLeftPart(UriPartial.Path)) + "&" + Encode(parameters);
    }

    internal string Signature(string baseString)
    {
        var key = Encoding.UTF8.GetBytes(consumerSecret + "&");
        var data = Encoding.UTF8.GetBytes(baseString);
        var hash = method == OAuthSignatureMethod.HmacSha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
        return Convert.ToBase64String(hash);
    }

    // Uri.EscapeDataString keeps exactly RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~), like PHP's rawurlencode.
    private static string Encode(string value) => Uri.EscapeDataString(value);
}
