using Affinsy.Core.Configuration;
using Affinsy.Core.State;

namespace Affinsy.Host.Sync;

/// <summary>Opens the state backend the <c>state:</c> section names.</summary>
internal static class StateBackends
{
    public static async Task<IStateBackend> OpenAsync(StateSettings settings, TimeProvider time, CancellationToken ct)
    {
        if (settings.Provider == StateProvider.Postgres)
        {
            throw new UserFacingException("state.provider postgres is not available in this build yet; use provider: sqlite.");
        }

        return await SqliteStateBackend.OpenAsync(settings, time, ct);
    }
}
