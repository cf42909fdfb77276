using System.Net.Http.Headers;
using System.Text;

namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// Puts the consumer key on a request the way the store accepts it. WooCommerce reads Basic auth (or the
/// <c>consumer_key</c>/<c>consumer_secret</c> query) only when it sees the request as https (<c>is_ssl()</c>), and
/// otherwise only OAuth 1.0a (<c>WC_REST_Authentication::authenticate</c>), so <see cref="StoreAuth.Auto"/> follows the
/// url's scheme. The secret never goes into a log or message: only paths are logged.
/// </summary>
internal sealed class StoreCredentials
{
    private readonly AuthenticationHeaderValue? _basic;
    private readonly string? _queryCredentials;
    private readonly OAuthSigner? _signer;

    public StoreCredentials(WooCommerceClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Mode = Resolve(options.Auth, options.SiteUrl);
        switch (Mode)
        {
            case StoreAuth.Basic:
                _basic = new AuthenticationHeaderValue(
                    "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ConsumerKey}:{options.ConsumerSecret}")));
                break;
            case StoreAuth.Query:
                _queryCredentials = $"consumer_key={Uri.EscapeDataString(options.ConsumerKey)}&consumer_secret={Uri.EscapeDataString(options.ConsumerSecret)}";
                break;
            default:
                _signer = new OAuthSigner(options.ConsumerKey, options.ConsumerSecret, options.SignatureMethod, time);
                break;
        }
    }

    /// <summary>The mode in use (never <see cref="StoreAuth.Auto"/>).</summary>
    public StoreAuth Mode { get; }

    public static StoreAuth Resolve(StoreAuth auth, Uri site) =>
        auth != StoreAuth.Auto ? auth
        : site.Scheme == Uri.UriSchemeHttps ? StoreAuth.Basic
        : StoreAuth.OAuth1;

    /// <summary>A GET for <paramref name="uri"/> carrying the credentials; signed afresh for every attempt.</summary>
    public HttpRequestMessage CreateGet(Uri uri)
    {
        var target = Mode switch
        {
            StoreAuth.OAuth1 => _signer!.Sign(uri),
            StoreAuth.Query => new Uri(uri.AbsoluteUri + (uri.Query.Length > 1 ? "&" : "?") + _queryCredentials),
            _ => uri,
        };
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Authorization = _basic;
        return request;
    }
}
