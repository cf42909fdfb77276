using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.State.Sqlite;

namespace Affinsy.State.Postgres;

/// <summary>Opens the state backend a configuration's <c>state:</c> section names, SQLite or PostgreSQL.</summary>
public static class StateBackends
{
    /// <summary>
    /// Opens <see cref="SqliteStateBackend"/> for <c>provider: sqlite</c> and <see cref="PostgresStateBackend"/> for
    /// <c>provider: postgres</c>, creating tables when missing.
    /// </summary>
    /// <exception cref="ConfigurationException">The PostgreSQL connection string is missing or malformed (never quoted).</exception>
    /// <exception cref="StateStoreUnavailableException">PostgreSQL is unreachable, refuses the login, or lacks the database.</exception>
    public static async Task<IStateBackend> OpenAsync(StateSettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider == StateProvider.Sqlite)
        {
            return await SqliteStateBackend.OpenAsync(settings, timeProvider, cancellationToken);
        }

        var at = (settings.ProviderLocation ?? new ConfigProblem("connectors.yaml", 0, 0, "state.provider", string.Empty)) with
        {
            Line = 0,
            Path = "state.connection_string",
        };
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new ConfigurationException(at with { Message = "provider 'postgres' needs a connection string, e.g. \"Host=db;Database=affinsy;Username=affinsy;Password=${AFFINSY_PG_PASSWORD}\"" });
        }

        try
        {
            return await PostgresStateBackend.OpenAsync(settings.ConnectionString, timeProvider, cancellationToken);
        }
        catch (ArgumentException e) when (e.ParamName == "connectionString")
        {
            // ArgumentException appends "(Parameter 'connectionString')", which means nothing in a YAML file.
            var message = e.Message;
            var cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
            throw new ConfigurationException(at with { Message = cut >= 0 ? message[..cut] : message });
        }
    }
}
