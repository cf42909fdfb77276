using Affinsy.Connectors.Kafka;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Affinsy.Host.Sync;

/// <summary>
/// One pass of <c>affinsy-connect sync</c>: each selected pipeline once through one shared sender per
/// Affinsy user, then its report templates if it succeeded. Exit code 0 when every pipeline and report
/// completed, 1 otherwise.
/// </summary>
internal sealed class SyncRun(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time)
{
    public async Task<int> RunAsync(IReadOnlyList<PipelineConfig> pipelines, bool fullRefresh, CancellationToken ct)
    {
        await using var endpoint = await AffinsyEndpoint.OpenAsync(config, ct);
        await using var checkpoints = await StateStores.OpenCheckpointStoreAsync(config.State, time, ct);
        var deadLetters = StateStores.OpenDeadLetterStore(config.State);
        using var senders = new SenderRegistry(() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, time, loggers);
        var ingest = config.Affinsy.Ingest;
        var sender = senders.For(new SinkOptions
        {
            BaseUrl = endpoint.ApiBase,
            ApiKey = endpoint.ApiKey,
            MaxLineItemsPerRequest = ingest.MaxLineItemsPerRequest,
            MaxInFlight = ingest.MaxInFlight,
            RequestsPerMinute = ingest.RequestsPerMinute,
            Window = TimeSpan.FromSeconds(ingest.WindowSeconds),
            OnPlanCap = config.Affinsy.OnPlanCap,
        });
        await using var webhooks = config.Webhooks.Listen is null || pipelines.All(p => p.Reports.Count == 0)
            ? null
            : await WebhookListener.StartAsync(config.Webhooks, endpoint.ApiKey, loggers, ct);
        var reports = new ReportCollector(sender.Client, webhooks, Path.Combine(config.BaseDirectory, "out"), time);
        if (endpoint.IsEmbedded)
        {
            AnsiConsole.MarkupLine($"[grey]Affinsy: embedded reference server at {endpoint.ApiBase} (data under {Markup.Escape(config.State.Directory)}/embedded)[/]");
        }

        var failed = false;
        foreach (var pipeline in pipelines)
        {
            if (fullRefresh)
            {
                await checkpoints.ResetAsync(pipeline.Name, ct);
            }

            var source = pipeline.CreateSource(time, loggers);

            // Sources that keep their position elsewhere (Kafka commits offsets) learn of each saved checkpoint.
            var sync = new PipelineSync(sender, AcknowledgingCheckpointStore.For(checkpoints, pipeline.Name, source), deadLetters, time, loggers.CreateLogger<PipelineSync>());
            var result = await SyncConsole.WithProgressAsync(pipeline.Name, progress => sync.RunAsync(pipeline.Name, pipeline.DatasetId, source, progress, ct), time);
            SyncConsole.Summary(result);
            if (result.OrdersRefused + result.OrdersDeadLettered > 0)
            {
                AnsiConsole.MarkupLine($"[grey]Dead letters (with reasons): {Markup.Escape(deadLetters.PathFor(pipeline.Name))}[/]");
            }

            if (result.Outcome != SyncOutcome.Completed)
            {
                failed = true;
                continue; // a failed sync triggers no reports
            }

            try
            {
                foreach (var collected in await reports.RunAsync(pipeline, ct))
                {
                    SyncConsole.Report(collected);
                    failed |= collected.Report.Status != "Completed";
                }
            }
            catch (Exception e) when (e is Sink.Api.AffinsyApiException or UserFacingException)
            {
                AnsiConsole.MarkupLine($"[red]reports for {Markup.Escape(pipeline.Name)} failed:[/] {Markup.Escape(e.Message)}");
                failed = true;
            }
        }

        return failed ? 1 : 0;
    }
}
