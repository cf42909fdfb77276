using Quartz;

namespace Affinsy.State.Postgres;

/// <summary>
/// Quartz's clustered ADO.NET job store on the state database: every worker configured with the same connection string
/// and scheduler name takes part in one cluster, so each trigger fires on exactly one worker and a dead worker's
/// triggers are taken over by the others once it has missed its check-ins.
/// </summary>
public static class ClusteredJobStore
{
    /// <summary>How often a worker records that it is alive when the caller does not say.</summary>
    public static readonly TimeSpan DefaultCheckinInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Uses the persistent, clustered job store in the PostgreSQL database <paramref name="connectionString"/> names,
    /// with tables prefixed <c>qrtz_</c> (created by <see cref="PostgresStateBackend.OpenAsync"/> or
    /// <see cref="QuartzSchema.EnsureAsync"/>, and validated when the scheduler starts) and job data serialized with
    /// System.Text.Json. Each worker needs its own instance id (<c>ConfigureScheduler(o =&gt; o.InstanceId = ...)</c>);
    /// left unset, Quartz generates one.
    /// </summary>
    /// <param name="quartz">The scheduler being configured.</param>
    /// <param name="connectionString">The state database; never logged by this method.</param>
    /// <param name="checkinInterval">
    /// How often this worker checks in (default 5 s). Another worker takes over its triggers after it has missed check-ins
    /// for this long again, so a dead worker's work resumes after about twice this interval.
    /// </param>
    public static IQuartzBuilder UseAffinsyClusteredStore(this IQuartzBuilder quartz, string connectionString, TimeSpan? checkinInterval = null)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var interval = checkinInterval ?? DefaultCheckinInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(checkinInterval));

        // Validate the connection string here, where the message cannot leak it, rather than when the scheduler starts.
        _ = PostgresLocation.Parse(connectionString);

        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.UseSystemTextJsonSerializer();
            store.UseClustering(cluster =>
            {
                cluster.CheckinInterval = interval;
                cluster.CheckinMisfireThreshold = interval;
            });
            store.ConfigureStore(options =>
            {
                options.TablePrefix = QuartzSchema.TablePrefix;
                options.SchemaProvisioning = SchemaProvisioning.Validate;
            });
        });
        return quartz;
    }
}
