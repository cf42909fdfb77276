using System.Net.Sockets;
using Affinsy.Core.State;
using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// Turns the driver's failures to connect into messages that say what failed, where, and what to do. The inner
/// exception is kept for logs: Npgsql's messages name hosts and users, never the password.
/// </summary>
internal static class PostgresFailure
{
    public static StateStoreUnavailableException? Explain(Exception exception, PostgresLocation at)
    {
        switch (exception)
        {
            case PostgresException { SqlState: "28P01" or "28000" } e:
                return new StateStoreUnavailableException(
                    $"PostgreSQL at {at.Host}:{at.Port} refused the login of user '{at.User}' to database '{at.Database}' ({e.MessageText}). " +
                    "Check Username and Password in state.connection_string (keep the password in an environment variable, e.g. Password=${AFFINSY_PG_PASSWORD}) " +
                    "and the server's pg_hba.conf.",
                    e);
            case PostgresException { SqlState: "3D000" } e:
                return new StateStoreUnavailableException(
                    $"PostgreSQL at {at.Host}:{at.Port} has no database '{at.Database}'. Create it (createdb -h {at.Host} -p {at.Port} -U {at.User} {at.Database}) " +
                    "or fix Database in state.connection_string.",
                    e);
            case PostgresException { SqlState: "42501" } e:
                return new StateStoreUnavailableException(
                    $"User '{at.User}' may not create the state tables in database '{at.Database}' on {at.Host}:{at.Port} ({e.MessageText}). " +
                    "Grant it CREATE on the database's schema, or create the tables once as an owner.",
                    e);
            case NpgsqlException { InnerException: SocketException or TimeoutException or IOException } e:
                return new StateStoreUnavailableException(
                    $"Cannot reach the PostgreSQL state store at {at.Host}:{at.Port} (database '{at.Database}'): {e.InnerException?.Message ?? e.Message}. " +
                    "Check that the server is running and accepts TCP connections there, and Host and Port in state.connection_string.",
                    e);
            case NpgsqlException e when e.Message.Contains("password", StringComparison.OrdinalIgnoreCase):
                return new StateStoreUnavailableException(
                    $"PostgreSQL at {at.Host}:{at.Port} asks user '{at.User}' for a password and state.connection_string gives none. " +
                    "Add Password=${AFFINSY_PG_PASSWORD} (and set that environment variable).",
                    e);
            case TimeoutException e:
                return new StateStoreUnavailableException(
                    $"Timed out connecting to the PostgreSQL state store at {at.Host}:{at.Port} (database '{at.Database}'). " +
                    "Check that the server is running and reachable from this machine (firewall, Host and Port in state.connection_string).",
                    e);
            default:
                return null;
        }
    }
}
