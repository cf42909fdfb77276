using Affinsy.Core.Configuration;

namespace Affinsy.Core.State;

/// <summary>Opens the stores a configuration's <c>state:</c> section names.</summary>
public static class StateStores
{
    /// <summary>Opens the checkpoint store (SQLite today).</summary>
    /// <exception cref="ConfigurationException">The provider is not implemented yet (postgres).</exception>
    public static async Task<SqliteCheckpointStore> OpenCheckpointStoreAsync(StateSettings settings, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider == StateProvider.Postgres)
        {
            var at = settings.ProviderLocation ?? new ConfigProblem("connectors.yaml", 0, 0, "state.provider", string.Empty);
            throw new ConfigurationException(at with
            {
                Message = "provider 'postgres' is not implemented yet; use 'provider: sqlite' (the default) for now",
            });
        }

        return await SqliteCheckpointStore.OpenAsync(settings.Path, timeProvider, cancellationToken);
    }

    /// <summary>The dead-letter store under the state directory (<c>.affinsy/dead-letters/</c>).</summary>
    public static JsonlDeadLetterStore OpenDeadLetterStore(StateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new JsonlDeadLetterStore(settings.DeadLetterDirectory);
    }
}
