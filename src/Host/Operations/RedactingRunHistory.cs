using Affinsy.Core.State;

namespace Affinsy.Host.Operations;

/// <summary>Masks secrets in run errors, written or read.</summary>
internal sealed class RedactingRunHistory(IRunHistory inner, SecretSet secrets) : IRunHistory
{
    public Task RecordRunAsync(RunRecord run, CancellationToken cancellationToken) =>
        inner.RecordRunAsync(Redact(run), cancellationToken);

    public Task RecordReportAsync(ReportRecord report, CancellationToken cancellationToken) =>
        inner.RecordReportAsync(report, cancellationToken);

    public async Task<IReadOnlyList<RunRecord>> LatestRunsAsync(CancellationToken cancellationToken) =>
        [.. (await inner.LatestRunsAsync(cancellationToken)).Select(Redact)];

    public Task<IReadOnlyList<ReportRecord>> LatestReportsAsync(CancellationToken cancellationToken) =>
        inner.LatestReportsAsync(cancellationToken);

    public async Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? pipeline, int count, CancellationToken cancellationToken) =>
        [.. (await inner.RecentRunsAsync(pipeline, count, cancellationToken)).Select(Redact)];

    public Task HeartbeatAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.HeartbeatAsync(runId, at, cancellationToken);

    public Task<int> MarkAbandonedAsync(string pipeline, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.MarkAbandonedAsync(pipeline, now, cancellationToken);

    private RunRecord Redact(RunRecord run) =>
        run.Error is { } error && !secrets.IsEmpty ? run with { Error = secrets.Redact(error) } : run;
}
