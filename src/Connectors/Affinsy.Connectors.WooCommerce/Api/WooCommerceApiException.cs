namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>A store answer that retrying will not fix; the message says what happened and what to do.</summary>
public sealed class WooCommerceApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WooCommerceApiException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WooCommerceApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WooCommerceApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
