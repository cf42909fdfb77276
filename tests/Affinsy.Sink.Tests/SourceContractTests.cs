using System.Net;
using System.Runtime.CompilerServices;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

/// <summary>What the pipeline does for every source: normalizes, dead-letters refusals, acknowledges, reads checkpoints.</summary>
public sealed class SourceContractTests
{
    [Fact]
    public async Task The_source_hears_of_each_checkpoint_only_after_it_is_saved_and_in_order()
    {
        using var harness = new SyncHarness(remote: t => new FakeAffinsy(t) { Hold = true }, tune: SyncHarness.OneBatchPerRequest);
        var token = TestContext.Current.CancellationToken;
        var source = new AcknowledgedSource(harness.Checkpoints, [Orders.Batch("1", Orders.WithLines("a", 2)), Orders.Batch("2", Orders.WithLines("b", 2)), Orders.Batch("3", Orders.WithLines("c", 2))]);
        var secondSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new CallbackProgress(p =>
        {
            if (p.OrdersSent >= 1)
            {
                secondSent.TrySetResult();
            }
        });

        var run = harness.RunAsync(source, progress, token);
        var first = await harness.Remote.Arrivals.Reader.ReadAsync(token);
        var second = await harness.Remote.Arrivals.Reader.ReadAsync(token);
        (first.OrderIds.Contains("b") ? first : second).Release();
        await secondSent.Task.WaitAsync(token);
        Assert.Empty(source.Heard); // "2" is acknowledged by Affinsy but not safe: "1" is still in flight

        (first.OrderIds.Contains("a") ? first : second).Release();
        (await harness.Remote.Arrivals.Reader.ReadAsync(token)).Release();
        var result = await run;

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(harness.Checkpoints.Saves, source.Heard.Select(h => h.Checkpoint));
        Assert.All(source.Heard, h => Assert.True(h.AlreadySaved));
        Assert.Equal("3", source.Heard[^1].Checkpoint);
    }

    [Fact]
    public async Task A_batch_that_was_never_acknowledged_is_never_acknowledged_to_the_source()
    {
        using var harness = new SyncHarness(tune: o => new SinkOptions
        {
            BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, RetryBaseDelay = o.RetryBaseDelay, Linger = o.Linger,
            RequestTimeout = o.RequestTimeout, MaxLineItemsPerRequest = 2, MaxInFlight = 1, MaxAttempts = 2,
        });
        harness.Remote.Script = a => a.OrderIds.Contains("b")
            ? FakeAffinsy.Answer(HttpStatusCode.ServiceUnavailable, """{"error":"Down.","request_id":"r"}""")
            : null;
        var source = new AcknowledgedSource(harness.Checkpoints, [Orders.Batch("1", Orders.WithLines("a", 2)), Orders.Batch("2", Orders.WithLines("b", 2))]);

        var result = await harness.RunAsync(source, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Equal(["1"], source.Heard.Select(h => h.Checkpoint));
    }

    [Fact]
    public async Task A_draft_refused_by_normalization_is_dead_lettered_with_its_reason_origin_and_order_id()
    {
        using var harness = new SyncHarness();
        var empty = new OrderDraft(" A-1 ") { Origin = RecordOrigin.Of("line 7", "A-1,,,") };
        var fine = OrderDraft.From(Orders.WithLines("b", 1));
        var parsed = new Refusal("not valid JSON: '}' is invalid", "line 9", "{oops}");

        var result = await harness.RunAsync(new ListSource([new OrderBatch([empty, fine], [parsed], new Checkpoint("1"))]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(2, result.OrdersRefused);
        Assert.Equal(1, result.OrdersSent);
        var letters = harness.DeadLetters.Letters;
        Assert.Equal(["line 9", "line 7"], letters.Select(l => l.Position));
        var refused = letters[1];
        Assert.Equal("no line items in order 'A-1': an order needs at least one product", refused.Reason);
        Assert.Equal("A-1,,,", refused.OriginalRecord);
        Assert.Equal(" A-1 ", refused.OrderId);
        Assert.Equal("1", harness.Checkpoints.Current?.Value);
    }

    [Fact]
    public async Task An_unreadable_checkpoint_fails_the_sync_naming_the_pipeline_and_the_reset_command()
    {
        using var harness = new SyncHarness();
        await harness.Checkpoints.SaveAsync("test-pipeline", new Checkpoint("""{"path":"/x.csv"}"""), TestContext.Current.CancellationToken);

        var result = await harness.RunAsync(new CheckpointReadingSource(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.IsType<UnreadableCheckpointException>(result.Exception);
        Assert.StartsWith("The checkpoint of pipeline 'test-pipeline' cannot be read: the stored checkpoint '{\"path\":\"/x.csv\"}' is not a ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Run 'affinsy-connect state reset test-pipeline' to read the source from the beginning.", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Records each acknowledgement and whether the store already held that checkpoint.</summary>
    private sealed class AcknowledgedSource(RecordingCheckpointStore store, IReadOnlyList<OrderBatch> batches) : IOrderSource
    {
        private readonly Lock sync = new();
        private readonly List<(string Checkpoint, bool AlreadySaved)> heard = [];

        public IReadOnlyList<(string Checkpoint, bool AlreadySaved)> Heard
        {
            get
            {
                lock (sync)
                {
                    return [.. heard];
                }
            }
        }

        public IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, CancellationToken cancellationToken) =>
            new ListSource(batches).ReadAsync(from, cancellationToken);

        public ValueTask AcknowledgeAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
        {
            lock (sync)
            {
                heard.Add((checkpoint.Value, store.Current?.Value == checkpoint.Value));
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Reads its checkpoint with the shared codec, as every connector does.</summary>
    private sealed class CheckpointReadingSource : IOrderSource
    {
        public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var position = from?.As(PositionJson.Default.Position);
            await Task.Yield();
            yield return new OrderBatch([], [], Checkpoint.Of(new Position((position?.Offset ?? 0) + 1), PositionJson.Default.Position));
        }
    }
}

[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
internal sealed record Position(long Offset);

[System.Text.Json.Serialization.JsonSerializable(typeof(Position))]
internal sealed partial class PositionJson : System.Text.Json.Serialization.JsonSerializerContext;
