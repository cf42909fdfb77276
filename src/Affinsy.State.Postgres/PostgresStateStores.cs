using Affinsy.Core.Configuration;
using Affinsy.Core.State;

namespace Affinsy.State.Postgres;

/// <summary>
/// Opens the PostgreSQL state a configuration's <c>state:</c> section names. Choosing between SQLite and PostgreSQL is
/// the Host's (it references both backends; neither references the other).
/// </summary>
public static class PostgresStateStores
{
    /// <summary>Opens <see cref="PostgresStateBackend"/> for <c>provider: postgres</c>, creating tables when missing.</summary>
    /// <exception cref="ConfigurationException">The PostgreSQL connection string is missing or malformed (never quoted).</exception>
    /// <exception cref="StateStoreUnavailableException">PostgreSQL is unreachable, refuses the login, or lacks the database.</exception>
    /// <exception cref="ArgumentException">The settings name another provider.</exception>
    public static async Task<PostgresStateBackend> OpenAsync(StateSettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider != StateProvider.Postgres)
        {
            throw new ArgumentException($"The state settings name provider '{settings.Provider}', not PostgreSQL; open them with the matching backend.", nameof(settings));
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
