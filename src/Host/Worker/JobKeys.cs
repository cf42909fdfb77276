using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>The Quartz identities of a pipeline's jobs and triggers (stable: a fleet shares them in the job store).</summary>
internal static class JobKeys
{
    public const string Group = "affinsy";

    /// <summary>The job data key naming the pipeline.</summary>
    public const string Pipeline = "pipeline";

    /// <summary>The job data key naming the sync run that triggered reports.</summary>
    public const string RunId = "run_id";

    public static JobKey Sync(string pipeline) => new("sync." + pipeline, Group);

    public static TriggerKey SyncSchedule(string pipeline) => new("sync." + pipeline, Group);

    public static JobKey Reports(string pipeline) => new("reports." + pipeline, Group);

    public static TriggerKey ReportSchedule(string pipeline) => new("reports." + pipeline, Group);
}
