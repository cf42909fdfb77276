using System.Runtime.CompilerServices;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class DrainTests
{
    /// <summary>Yields numbered batches without end; asks for a drain once <paramref name="drainAfter"/> were read.</summary>
    private sealed class EndlessSource(int drainAfter, CancellationTokenSource drain) : IOrderSource
    {
        public List<Order> Read { get; } = [];

        public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; ; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i == drainAfter)
                {
                    await drain.CancelAsync();
                }

                await Task.Yield();
                var order = Orders.WithLines($"o{i}", 2);
                Read.Add(order);
                yield return Orders.Batch($"{i}", order);
            }
        }
    }

    [Fact]
    public async Task A_drain_finishes_the_batch_in_hand_and_checkpoints_exactly_what_landed()
    {
        using var harness = new SyncHarness();
        using var drain = new CancellationTokenSource();
        var source = new EndlessSource(drainAfter: 5, drain);

        var result = await harness.DriveAsync(
            harness.Sync.RunAsync("test-pipeline", "my-store", source, null, TestContext.Current.CancellationToken, drain.Token),
            limit: TimeSpan.FromHours(1));

        Assert.Equal(SyncOutcome.Cancelled, result.Outcome);
        Assert.Null(result.Error);
        var covered = int.Parse(harness.Checkpoints.Current!.Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
        Assert.InRange(covered, 1, source.Read.Count);
        Assert.Equal(covered, result.OrdersSent);
        Assert.Equal(Orders.RowsOf("my-store", source.Read.Take(covered)), harness.Remote.Rows.Keys.ToHashSet());
    }

    [Fact]
    public async Task A_source_that_ends_before_the_drain_completes_normally()
    {
        using var harness = new SyncHarness();
        using var drain = new CancellationTokenSource();
        var source = new ListSource([Orders.Batch("a", Orders.WithLines("x", 1))]);

        var result = await harness.DriveAsync(
            harness.Sync.RunAsync("test-pipeline", "my-store", source, null, TestContext.Current.CancellationToken, drain.Token),
            limit: TimeSpan.FromHours(1));

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal("a", harness.Checkpoints.Current?.Value);
    }
}
