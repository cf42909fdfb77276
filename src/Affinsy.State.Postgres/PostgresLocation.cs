using Npgsql;

namespace Affinsy.State.Postgres;

/// <summary>
/// Where a connection string points (host, port, database, user), for messages: everything an operator needs to find
/// the server, and never the password or the connection string itself.
/// </summary>
internal sealed record PostgresLocation(string Host, int Port, string Database, string User)
{
    public static PostgresLocation Of(NpgsqlConnectionStringBuilder builder)
    {
        var host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        var user = string.IsNullOrEmpty(builder.Username) ? Environment.UserName : builder.Username;
        var database = string.IsNullOrEmpty(builder.Database) ? user : builder.Database;
        return new PostgresLocation(host, builder.Port, database, user);
    }

    /// <summary>Parses a connection string without ever echoing it.</summary>
    /// <exception cref="ArgumentException">It is not a PostgreSQL connection string.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The driver's message can quote a value, so only the kind of problem is kept; the value may be a password.
            throw new ArgumentException(
                "state.connection_string is not a valid PostgreSQL connection string (an unknown keyword, or a value of the wrong kind). " +
                "Write it as keyword=value pairs, e.g. Host=db;Port=5432;Database=affinsy;Username=affinsy;Password=${AFFINSY_PG_PASSWORD}.",
                nameof(connectionString));
        }
    }

    public override string ToString() => $"{Host}:{Port}/{Database}";
}
