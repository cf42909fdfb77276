using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.State.Postgres;
using Affinsy.State.Sqlite;

namespace Affinsy.Host.Operations;

/// <summary>
/// Opens the state backend a configuration's <c>state:</c> section names. The choice lives here, in the one assembly
/// that references both backends, so that neither state project depends on the other.
/// </summary>
internal static class StateBackends
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
        return settings.Provider == StateProvider.Sqlite
            ? await SqliteStateBackend.OpenAsync(settings, timeProvider, cancellationToken)
            : await PostgresStateStores.OpenAsync(settings, timeProvider, cancellationToken);
    }
}
