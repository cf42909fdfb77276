namespace Affinsy.Connectors.Shopify.Api;

/// <summary>A Shopify answer the user has to act on (bad token, missing scope, frozen shop, failed bulk operation...).</summary>
public sealed class ShopifyApiException : Exception
{
    /// <summary>Creates the exception with a message that says what to do.</summary>
    public ShopifyApiException(string message, int? statusCode = null)
        : base(message) => StatusCode = statusCode;

    /// <summary>Creates the exception.</summary>
    public ShopifyApiException()
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public ShopifyApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status, when the error came from one.</summary>
    public int? StatusCode { get; }
}
