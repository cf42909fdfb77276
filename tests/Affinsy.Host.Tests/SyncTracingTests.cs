using System.Diagnostics;
using System.Runtime.CompilerServices;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Telemetry;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Xunit;

namespace Affinsy.Host.Tests;

public sealed class SyncTracingTests
{
    private readonly string pipeline = "trace-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_sync_is_one_span_with_a_child_span_per_ingest_attempt_retries_numbered_and_no_tag_holds_the_key_or_the_orders()
    {
        var token = TestContext.Current.CancellationToken;

        // A third of the reference server's answers are 500/503 (fixed seed), so some requests are retried.
        var settings = ReferenceSettings.LocalDefault() with { Faults = new FaultSettings { ErrorRate = 0.3, Seed = 7 } };
        await using var server = await ReferenceServer.StartAsync(new ReferenceServerOptions { Logging = _ => { }, Settings = settings }, token);
        using var capture = new SpanCapture();
        using var http = new HttpClient();
        using var sender = new AffinsySender(
            http,
            new SinkOptions
            {
                BaseUrl = server.ApiBase, ApiKey = ReferenceSettings.LocalDevKey, MaxLineItemsPerRequest = 6, MaxInFlight = 2,
                Linger = TimeSpan.Zero, RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero, MaxAttempts = 30,
            });
        var state = new MemoryState();
        var orders = Enumerable.Range(0, 12).Select(i => OrderOf($"o{i}", lines: 1 + (i % 3))).ToList();

        var result = await new PipelineSync(sender, state, state).RunAsync(pipeline, "shop", new ListSource(orders), null, token);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.True(result.Retries > 0, "the faults must have caused at least one retry");
        var sync = Assert.Single(capture.Spans, s => s.OperationName == AffinsyTracing.SyncSpan && Tag(s, AffinsyTracing.PipelineTag) == pipeline);
        Assert.Equal(("shop", "completed"), (Tag(sync, AffinsyTracing.DatasetTag), Tag(sync, AffinsyTracing.OutcomeTag)));
        Assert.Equal(
            (12L, result.LineItemsSent, result.Requests, result.Retries),
            ((long)sync.GetTagItem("affinsy.orders.read")!, (long)sync.GetTagItem("affinsy.line_items.sent")!, (long)sync.GetTagItem("affinsy.requests")!, (long)sync.GetTagItem("affinsy.retries")!));

        var ingests = capture.Spans.Where(s => s.TraceId == sync.TraceId && s.OperationName == AffinsyTracing.IngestSpan).ToList();
        Assert.Equal(result.Requests, ingests.Count);
        Assert.All(ingests, s => Assert.Equal(sync.SpanId, s.ParentSpanId));
        Assert.All(ingests, s => Assert.Equal(ActivityKind.Client, s.Kind));
        var accepted = ingests.Where(s => (int)s.GetTagItem("http.response.status_code")! == 200).ToList();
        Assert.Equal(server.Store.LoadLines("local", "shop").Count, accepted.Sum(s => (int)s.GetTagItem("affinsy.line_items")!));
        Assert.Equal(result.Retries, ingests.Count(s => (int)s.GetTagItem("affinsy.attempt")! > 1));
        Assert.All(ingests.Except(accepted), s => Assert.Equal(ActivityStatusCode.Error, s.Status));

        foreach (var (key, value) in ingests.Append(sync).SelectMany(s => s.TagObjects))
        {
            var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            Assert.DoesNotContain(ReferenceSettings.LocalDevKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain("product", text, StringComparison.Ordinal);
            Assert.DoesNotContain("customer", key, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_report_is_one_span_from_its_trigger_to_its_result_and_a_failed_one_is_marked_as_an_error()
    {
        using var capture = new SpanCapture();
        var triggered = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        AffinsyTracing.RecordReport(pipeline, "standard_rfm", "rep_1", "Completed", triggered, triggered.AddSeconds(42));
        AffinsyTracing.RecordReport(pipeline, "standard_mba", "rep_2", "Failed", triggered, triggered.AddSeconds(3));

        var reports = capture.Spans.Where(s => s.OperationName == AffinsyTracing.ReportSpan && Tag(s, AffinsyTracing.PipelineTag) == pipeline)
            .ToDictionary(s => Tag(s, "affinsy.report.id")!);
        Assert.Equal(triggered.UtcDateTime, reports["rep_1"].StartTimeUtc);
        Assert.Equal(TimeSpan.FromSeconds(42), reports["rep_1"].Duration);
        Assert.Equal(("standard_rfm", "Completed", ActivityStatusCode.Unset), (Tag(reports["rep_1"], "affinsy.report.template"), Tag(reports["rep_1"], AffinsyTracing.OutcomeTag), reports["rep_1"].Status));
        Assert.Equal(ActivityStatusCode.Error, reports["rep_2"].Status);
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key) as string;

    private static Order OrderOf(string id, int lines) =>
        new(id, "customer-" + id, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "EUR",
            [.. Enumerable.Range(0, lines).Select(l => new LineItem($"product {l}", 2.5m, 1 + l))]);

    private sealed class ListSource(IReadOnlyList<Order> orders) : IOrderSource
    {
        public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            var chunks = orders.Chunk(4).ToList();
            for (var i = 0; i < chunks.Count; i++)
            {
                yield return new OrderBatch([.. chunks[i].Select(o => OrderDraft.From(o))], [], new Checkpoint($"{{\"batch\":{i}}}"));
            }
        }
    }
}
