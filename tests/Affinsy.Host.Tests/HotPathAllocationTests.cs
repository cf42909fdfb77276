using Affinsy.Core.Telemetry;
using Affinsy.Host.Operations;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// Alone, not beside the other tests: their listeners (a new <see cref="PrometheusMetrics"/> seeing this
/// pipeline for the first time) would allocate on this thread and blur what is measured.
/// </summary>
[Collection(nameof(HotPathAllocationTests))]
[CollectionDefinition(nameof(HotPathAllocationTests), DisableParallelization = true)]
public sealed class HotPathAllocationTests
{
    [Fact]
    public void Recording_into_an_existing_series_allocates_nothing_with_the_prometheus_listener_attached()
    {
        using var metrics = new PrometheusMetrics();
        var pipeline = "alloc-" + Guid.NewGuid().ToString("N")[..8];
        RecordAll(pipeline); // first sight of each tag set creates its series

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            RecordAll(pipeline);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static void RecordAll(string pipeline)
    {
        AffinsyMetrics.RecordOrdersRead(pipeline, 10);
        AffinsyMetrics.RecordLineItemsSent(pipeline, 25);
        AffinsyMetrics.RecordRequest(pipeline, 200);
        AffinsyMetrics.RecordRequest(pipeline, 429);
        AffinsyMetrics.RecordThrottled(pipeline);
        AffinsyMetrics.RecordRetry(pipeline);
        AffinsyMetrics.RecordDeadLetters(pipeline, 1, DeadLetterReason.RefusedByAffinsy);
        AffinsyMetrics.RecordKafkaLag(pipeline, "orders", 3, 120);
        AffinsyMetrics.RecordSyncDuration(pipeline, "completed", TimeSpan.FromSeconds(2));
    }
}
