using Affinsy.Core.Configuration;
using Affinsy.Core.State;

namespace Affinsy.State.Sqlite;

/// <summary>Opens the stores a configuration's <c>state:</c> section names.</summary>
public static class StateStores
{
    /// <summary>
    /// Opens the SQLite state (checkpoints, dead letters and run history) the settings name. PostgreSQL lives in
    /// <c>Affinsy.State.Postgres</c> (<c>PostgresStateBackend.OpenAsync</c>), which Core does not reference.
    /// </summary>
    /// <exception cref="ConfigurationException">The settings name provider postgres.</exception>
    public static async Task<SqliteStateBackend> OpenSqliteAsync(StateSettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider != StateProvider.Sqlite)
        {
            var at = settings.ProviderLocation ?? new ConfigProblem("connectors.yaml", 0, 0, "state.provider", string.Empty);
            throw new ConfigurationException(at with
            {
                Message = $"provider '{settings.Provider.ToString().ToLowerInvariant()}' is not SQLite; open it with PostgresStateBackend (Affinsy.State.Postgres)",
            });
        }

        return await SqliteStateBackend.OpenAsync(settings, timeProvider, cancellationToken);
    }
}
