using Affinsy.Host.Sync;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>
/// Triggers a pipeline's report templates and collects the results (the reports half of a <see cref="PipelinePass"/>
/// after a sync, or on <c>report_schedule</c>, or by volume).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ReportJob(ConnectRuntime runtime, PipelinePass pass, WorkerLifetime lifetime) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var name = context.MergedJobDataMap.GetString(JobKeys.Pipeline);
        if (runtime.Config.Pipelines.FirstOrDefault(p => p.Name == name) is not { Reports.Count: > 0 } pipeline)
        {
            return;
        }

        context.MergedJobDataMap.TryGetString(JobKeys.RunId, out var runId);
        using var running = lifetime.Enter();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Abort);
        await pass.ReportsAsync(pipeline, string.IsNullOrEmpty(runId) ? null : runId, abort.Token);
    }
}
