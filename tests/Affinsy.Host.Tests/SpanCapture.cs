using System.Collections.Concurrent;
using System.Diagnostics;
using Affinsy.Core.Telemetry;

namespace Affinsy.Host.Tests;

/// <summary>Every finished span of the Affinsy source, recorded in full, through an <see cref="ActivityListener"/> of its own.</summary>
internal sealed class SpanCapture : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<Activity> stopped = new();

    public SpanCapture()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AffinsyTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The spans finished so far (other tests' too: the source is process-wide, so filter by trace or tag).</summary>
    public IReadOnlyList<Activity> Spans => [.. stopped];

    public void Dispose() => listener.Dispose();
}
