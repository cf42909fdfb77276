using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

/// <summary>
/// AFFINSY_API.md: "a request still working then is answered 504 (with request_id); an ingest answered so still
/// completes on the server", and a third request in flight "is still imported, but answered 504 with a request_id".
/// Such a 504 acknowledges the request without counts; a 504 from anything else is retried like any 5xx.
/// </summary>
public sealed class AppliedTimeoutTests
{
    private const string Affinsy504 = """{"error":"The request timed out; the import is still being applied.","request_id":"0b6f2c1e-7d9a-4f7e-9a43-1c2d3e4f5a6b"}""";

    [Fact]
    public async Task Affinsys_own_504_acknowledges_the_request_without_sending_it_again()
    {
        using var harness = Harness();
        var answered504 = 0;
        harness.Remote.AfterApplying = _ => Interlocked.Increment(ref answered504) <= 2 ? FakeAffinsy.Answer(HttpStatusCode.GatewayTimeout, Affinsy504) : null;
        var orders = Enumerable.Range(0, 50).Select(i => Orders.WithLines($"o{i}", 4)).ToArray();
        var pipeline = "applied-504-" + Guid.NewGuid().ToString("N");
        using var outcomes = new RequestOutcomes(pipeline);

        var result = await RunAsync(harness, orders, pipeline);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(10, result.Requests); // 200 line items, 20 a request: each sent once
        Assert.Equal(0, result.Retries);
        Assert.Equal(2, result.ServerErrors);
        Assert.Equal(2, result.AppliedUnanswered);
        Assert.Equal(40, result.LineItemsAppliedUnanswered);
        Assert.Equal(orders.Length, result.OrdersSent);
        Assert.Equal(200, result.LineItemsSent);
        Assert.Equal(160, result.Inserted); // the 504s' rows were stored, but no answer counted them
        Assert.Equal(Orders.RowsOf("my-store", orders), harness.Remote.Rows.Keys.ToHashSet());
        Assert.Equal("9", harness.Checkpoints.Current?.Value);
        Assert.Equal(new Dictionary<string, long> { ["accepted"] = 8, ["applied_unanswered"] = 2 }, outcomes.Counts);
    }

    [Fact]
    public async Task A_504_without_Affinsys_body_is_sent_again()
    {
        using var harness = Harness();
        var first = 0;
        harness.Remote.Script = _ => Interlocked.Increment(ref first) == 1 ? RetryTests.ProxyGatewayTimeout() : null;
        var orders = Enumerable.Range(0, 10).Select(i => Orders.WithLines($"o{i}", 4)).ToArray();

        var result = await RunAsync(harness, orders);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(1, result.Retries);
        Assert.Equal(0, result.AppliedUnanswered);
        Assert.Equal(Orders.RowsOf("my-store", orders), harness.Remote.Rows.Keys.ToHashSet());
    }

    [Fact]
    public async Task With_on_plan_cap_fail_Affinsys_504_is_sent_again_to_learn_whether_the_cap_kept_rows_out()
    {
        using var harness = Harness(PlanCapPolicy.Fail);
        var first = 0;
        harness.Remote.AfterApplying = _ => Interlocked.Increment(ref first) == 1 ? FakeAffinsy.Answer(HttpStatusCode.GatewayTimeout, Affinsy504) : null;
        var orders = Enumerable.Range(0, 10).Select(i => Orders.WithLines($"o{i}", 4)).ToArray();

        var result = await RunAsync(harness, orders);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(1, result.Retries);
        Assert.Equal(0, result.AppliedUnanswered);
        Assert.Equal(20, result.Updated); // the re-sent request (20 line items) found its rows stored by the one answered 504
    }

    private static SyncHarness Harness(PlanCapPolicy onPlanCap = PlanCapPolicy.Warn) => new(tune: o => new SinkOptions
    {
        BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, Linger = o.Linger, RequestTimeout = o.RequestTimeout,
        RetryBaseDelay = TimeSpan.FromMilliseconds(200), MaxLineItemsPerRequest = 20, OnPlanCap = onPlanCap,
    });

    private static Task<SyncResult> RunAsync(SyncHarness harness, Order[] orders, string pipeline = "test-pipeline") =>
        harness.DriveAsync(
            harness.RunAsync(new ListSource([.. orders.Chunk(5).Select((c, i) => Orders.Batch($"{i}", c))]),
                cancellationToken: TestContext.Current.CancellationToken, pipeline: pipeline), limit: TimeSpan.FromMinutes(10));

    /// <summary>The <c>affinsy.requests</c> counter's outcome labels for one pipeline, through a MeterListener of its own.</summary>
    private sealed class RequestOutcomes : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

        public RequestOutcomes(string pipeline)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AffinsyMetrics.MeterName && instrument.Name == "affinsy.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? outcome = null;
                var ours = false;
                foreach (var tag in tags)
                {
                    ours |= tag.Key == AffinsyMetrics.PipelineTag && Equals(tag.Value, pipeline);
                    outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
                }

                if (ours && outcome is not null)
                {
                    counts.AddOrUpdate(outcome, value, (_, sum) => sum + value);
                }
            });
            listener.Start();
        }

        public Dictionary<string, long> Counts => new(counts, StringComparer.Ordinal);

        public void Dispose() => listener.Dispose();
    }
}
