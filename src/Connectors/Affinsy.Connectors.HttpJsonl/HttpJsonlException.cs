namespace Affinsy.Connectors.HttpJsonl;

/// <summary>
/// The endpoint answered in a way retrying will not fix (a 4xx, a page that is not JSON Lines, a broken body): the
/// message names the URL (secret-looking query values hidden), what happened and what to do. The run fails and no
/// checkpoint moves past what was acknowledged.
/// </summary>
public sealed class HttpJsonlException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HttpJsonlException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HttpJsonlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public HttpJsonlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
