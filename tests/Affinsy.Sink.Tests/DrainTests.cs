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
    public async Task A_drain_stops_reading_and_sends_and_checkpoints_everything_already_read()
    {
        using var harness = new SyncHarness();
        using var drain = new CancellationTokenSource();
        var source = new EndlessSource(drainAfter: 5, drain);

        var result = await harness.DriveAsync(
            harness.Sync.RunAsync("test-pipeline", "my-store", source, null, TestContext.Current.CancellationToken, drain.Token),
            limit: TimeSpan.FromHours(1));

        Assert.Equal(SyncOutcome.Cancelled, result.Outcome);
        Assert.Null(result.Error);
        Assert.True(source.Read.Count >= 5);
        Assert.Equal(source.Read.Count, result.OrdersSent);
        Assert.Equal(Orders.RowsOf("my-store", source.Read), harness.Remote.Rows.Keys.ToHashSet());
        Assert.Equal((source.Read.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), harness.Checkpoints.Current?.Value);
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
