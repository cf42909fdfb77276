namespace Affinsy.Core.State;

/// <summary>
/// The state store cannot be used: the server is unreachable, refused the login, or the database is missing. The
/// message says what failed, where (host, port and database; never a password or a connection string) and what to do.
/// </summary>
public sealed class StateStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateStoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message a user can act on.</summary>
    public StateStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message a user can act on and the driver's exception.</summary>
    public StateStoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
