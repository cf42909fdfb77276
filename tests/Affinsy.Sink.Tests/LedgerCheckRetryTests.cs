using System.Net;
using Affinsy.Core.State;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class LedgerCheckRetryTests
{
    [Fact]
    public async Task A_server_error_on_the_dataset_check_is_retried_and_the_ledger_is_still_trusted()
    {
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, Linger = o.Linger, RequestTimeout = o.RequestTimeout,
            RetryBaseDelay = TimeSpan.FromSeconds(1),
        });
        var ledger = new MemoryLedger();
        var sync = new PipelineSync(harness.Sender, harness.Checkpoints, harness.DeadLetters, harness.Time, ledger: ledger);
        var orders = Enumerable.Range(0, 10).Select(i => Orders.WithLines($"o{i}", 2)).ToArray();
        ListSource Source() => new([.. orders.Chunk(5).Select((c, i) => Orders.Batch($"{i}", c))]);
        var ct = TestContext.Current.CancellationToken;
        var first = await harness.DriveAsync(sync.RunAsync("test-pipeline", "my-store", Source(), null, ct), TimeSpan.FromMinutes(1));
        Assert.Equal(SyncOutcome.Completed, first.Outcome);

        // The API's documented transient answers (AFFINSY_API.md: 5xx are retried) on GET /datasets/{id}, then the dataset.
        var checks = 0;
        harness.Remote.Script = a => a.Method != "GET" ? null
            : ++checks <= 2 ? FakeAffinsy.Answer(HttpStatusCode.ServiceUnavailable, """{"error":"Service temporarily unavailable.","request_id":"r-1"}""")
            : FakeAffinsy.Answer(HttpStatusCode.OK, """{"dataset_id":"my-store","orders":10,"line_items":20,"customers":1}""");
        var started = harness.Time.GetUtcNow();
        var second = await harness.DriveAsync(sync.RunAsync("test-pipeline", "my-store", Source(), null, ct), TimeSpan.FromMinutes(1));

        Assert.True(second.Outcome == SyncOutcome.Completed, second.Error);
        Assert.Equal(3, checks);
        Assert.Equal(10, second.OrdersUnchanged); // the ledger was trusted, not dropped
        Assert.Equal(0, second.OrdersSent);
        Assert.InRange(harness.Time.GetUtcNow() - started, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4)); // 1 s, then 2 s
    }

    [Fact]
    public async Task A_dataset_check_that_keeps_failing_fails_the_sync_after_max_attempts_without_sending()
    {
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, Linger = o.Linger, RequestTimeout = o.RequestTimeout,
            RetryBaseDelay = TimeSpan.FromSeconds(1), MaxAttempts = 3,
        });
        var ledger = new MemoryLedger();
        await ledger.RecordAsync("test-pipeline", "my-store", [new LedgerEntry("o0", 1, 2)], TestContext.Current.CancellationToken);
        var checks = 0;
        harness.Remote.Script = a => a.Method != "GET" ? null
            : FakeAffinsy.Answer(HttpStatusCode.InternalServerError, $$"""{"error":"Boom.","request_id":"r-{{++checks}}"}""");
        var sync = new PipelineSync(harness.Sender, harness.Checkpoints, harness.DeadLetters, harness.Time, ledger: ledger);

        var result = await harness.DriveAsync(
            sync.RunAsync("test-pipeline", "my-store", new ListSource([Orders.Batch("0", Orders.WithLines("o1", 2))]), null, TestContext.Current.CancellationToken),
            TimeSpan.FromMinutes(1));

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Equal(3, checks);
        Assert.Contains("500", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Remote.Requests, r => r.Method == "POST");
        Assert.Null(harness.Checkpoints.Current);
    }

    /// <summary>An order ledger in memory (the real ones are SQLite and PostgreSQL, pinned by the state contract tests).</summary>
    private sealed class MemoryLedger : IOrderLedger
    {
        private readonly Dictionary<string, LedgerEntry> entries = new(StringComparer.Ordinal);

        public Task<IReadOnlyDictionary<string, long>> FindAsync(string pipeline, string datasetId, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken)
        {
            lock (entries)
            {
                IReadOnlyDictionary<string, long> found = orderIds.Where(entries.ContainsKey).ToDictionary(id => id, id => entries[id].Hash, StringComparer.Ordinal);
                return Task.FromResult(found);
            }
        }

        public Task RecordAsync(string pipeline, string datasetId, IReadOnlyList<LedgerEntry> recorded, CancellationToken cancellationToken)
        {
            lock (entries)
            {
                foreach (var e in recorded)
                {
                    entries[e.OrderId] = e;
                }
            }

            return Task.CompletedTask;
        }

        public Task<LedgerTotals> TotalsAsync(string pipeline, string datasetId, CancellationToken cancellationToken)
        {
            lock (entries)
            {
                return Task.FromResult(new LedgerTotals(entries.Count, entries.Values.Sum(e => (long)e.LineItems)));
            }
        }

        public Task ClearAsync(string pipeline, CancellationToken cancellationToken)
        {
            lock (entries)
            {
                entries.Clear();
            }

            return Task.CompletedTask;
        }
    }
}
