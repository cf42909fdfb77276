using Affinsy.Core.Configuration;
using Affinsy.State.Postgres;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>
/// Where Quartz keeps jobs and triggers: in memory beside SQLite state (one worker); clustered in the PostgreSQL
/// state database beside PostgreSQL state, so a fleet of workers fires each trigger once and takes over the
/// jobs of a worker that stopped checking in.
/// </summary>
internal static class JobStores
{
    public static void Configure(IQuartzBuilder quartz, ConnectorsConfig config)
    {
        if (config.State.Provider == StateProvider.Postgres)
        {
            quartz.UseAffinsyClusteredStore(config.State.ConnectionString!, config.Worker.ClusterCheckinInterval);
            return;
        }

        quartz.UseInMemoryStore(_ => { });
    }
}
