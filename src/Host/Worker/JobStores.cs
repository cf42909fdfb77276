using Affinsy.Core.Configuration;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>Where Quartz keeps jobs and triggers: in memory beside SQLite state; clustered in PostgreSQL beside PostgreSQL state.</summary>
internal static class JobStores
{
    public static void Configure(IQuartzBuilder quartz, ConnectorsConfig config)
    {
        if (config.State.Provider == StateProvider.Postgres)
        {
            throw new Sync.UserFacingException("state.provider postgres is not available in this build yet; use provider: sqlite.");
        }

        quartz.UseInMemoryStore(_ => { });
    }
}
