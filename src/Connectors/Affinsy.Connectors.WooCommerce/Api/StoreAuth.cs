namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>How requests prove the consumer key (YAML <c>auth</c>).</summary>
internal enum StoreAuth
{
    /// <summary>Basic over https, OAuth 1.0a over http: what WooCommerce accepts on each (the default).</summary>
    Auto,

    /// <summary>HTTP Basic, key and secret in the <c>Authorization</c> header. WooCommerce ignores it over plain http.</summary>
    Basic,

    /// <summary><c>consumer_key</c> / <c>consumer_secret</c> query parameters, for hosts that strip <c>Authorization</c>; https only.</summary>
    Query,

    /// <summary>OAuth 1.0a one-legged: each request signed with the secret, which is never sent.</summary>
    OAuth1,
}

/// <summary>The HMAC WooCommerce accepts for OAuth 1.0a signatures (YAML <c>oauth_signature_method</c>).</summary>
internal enum OAuthSignatureMethod
{
    /// <summary><c>HMAC-SHA256</c> (default).</summary>
    HmacSha256,

    /// <summary><c>HMAC-SHA1</c>.</summary>
    HmacSha1,
}
