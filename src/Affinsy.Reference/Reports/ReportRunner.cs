using System.Threading.Channels;
using Affinsy.Reference.Storage;
using Affinsy.Reference.Webhooks;
using Microsoft.Extensions.Logging;

namespace Affinsy.Reference.Reports;

/// <summary>
/// Runs reports off the request path: a bounded queue and one worker (mining is CPU-bound and the
/// machine may have two cores). Reports found Processing at start were interrupted by a restart and
/// are run again, so every report ends Completed or Failed and its webhook is still sent.
/// </summary>
internal sealed partial class ReportRunner : IAsyncDisposable
{
    public const int QueueCapacity = 256;

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private readonly ReferenceStore _store;
    private readonly WebhookDispatcher _webhooks;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public ReportRunner(ReferenceStore store, WebhookDispatcher webhooks, TimeProvider time, ILogger log)
    {
        _store = store;
        _webhooks = webhooks;
        _time = time;
        _log = log;
        foreach (var id in store.ProcessingReportIds())
        {
            // More interrupted reports than the queue holds stay Processing until the next start.
            if (_queue.Writer.TryWrite(id))
            {
                LogRerun(_log, id);
            }
        }

        _worker = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Queues a stored report; false when the queue is full (the caller answers 503).</summary>
    public bool TryEnqueue(string reportId) => _queue.Writer.TryWrite(reportId);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _worker;
        }
        catch (OperationCanceledException)
        {
            // Stopping mid-report leaves it Processing: it is re-run at the next start.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        await foreach (var id in _queue.Reader.ReadAllAsync(ct))
        {
            if (_store.GetReportForRun(id) is not { Status: ReportStatus.Processing } report)
            {
                continue;
            }

            string status, @event;
            byte[]? results = null;
            string? error = null;
            ReportTimings.Start(report.ReportId);
            try
            {
                results = _store.WithReportRows(report.Owner, report.DatasetId, rows => ReportEngine.Compute(report, rows, ct));
                (status, @event) = (ReportStatus.Completed, "report.completed");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (ReportDataException e)
            {
                LogDataProblem(_log, report.ReportId, e.Message);
                (status, @event) = (ReportStatus.Failed, "report.failed");
                error = e.Message;
            }
#pragma warning disable CA1031 // A report that fails for any reason must end Failed with a reason, not kill the worker.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var requestId = Guid.NewGuid().ToString();
                LogFailed(_log, e, report.ReportId, requestId);
                (status, @event) = (ReportStatus.Failed, "report.failed");
                error = $"The report could not be computed (request_id {requestId}).";
            }

            var delivery = report.WebhookUrl is null ? null : _webhooks.Prepare(report, @event, status);
            await _store.FinishReportAsync(report.ReportId, status, results, error, delivery, CancellationToken.None);
            ReportTimings.Mark("store");
            ReportTimings.End();
            if (delivery is not null)
            {
                _webhooks.Enqueue(delivery);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-running report {ReportId}, interrupted by a restart")]
    private static partial void LogRerun(ILogger log, string reportId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId} failed on its data: {Reason}")]
    private static partial void LogDataProblem(ILogger log, string reportId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report {ReportId} failed, request_id={RequestId}")]
    private static partial void LogFailed(ILogger log, Exception e, string reportId, string requestId);
}
