namespace Affinsy.Benchmarks;

/// <summary>
/// What a run keeps alive on the managed heap beyond what existed before it (the emulator's seeded store, the
/// servers). Baseline: the live heap after a full blocking collection at start. During the run, a background (non
/// blocking, concurrent) full collection is requested every 2 s, and after each full collection the bytes that
/// survived it (<see cref="GCMemoryInfo.PromotedBytes"/> of a gen 2 collection = the live heap) are read. The peak
/// of those over the baseline is what the run held at once; garbage that merely waits for a collection is not
/// counted, so it is flat when nothing accumulates per order. Working set, by contrast, also holds the emulator's
/// store and freed-but-unreturned heap, and is reported separately.
/// </summary>
internal sealed class HeapSampler
{
    private readonly long baseline;
    private readonly CancellationTokenSource stop = new();
    private readonly Task<long> sampling;

    private readonly bool blocking;

    private HeapSampler(bool blocking)
    {
        this.blocking = blocking;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        baseline = GC.GetGCMemoryInfo(GCKind.FullBlocking).PromotedBytes;
        sampling = Task.Run(SampleAsync);
    }

    /// <summary>Full collections seen during the run (each one a sample).</summary>
    public int Samples { get; private set; }

    /// <summary>
    /// Starts sampling. <paramref name="blocking"/>: request a blocking full collection every 5 s instead of a
    /// background one every 2 s. Exact (a background collection counts what is allocated while it runs as live, and
    /// it runs longer on a larger heap), but it pauses the run, so use it for memory, not for throughput.
    /// </summary>
    public static HeapSampler Start(bool blocking = false) => new(blocking);

    /// <summary>Peak live managed heap growth over the start, in MB.</summary>
    public async Task<double> StopAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        var peak = await sampling.ConfigureAwait(false);
        stop.Dispose();
        return Math.Max(0, peak - baseline) / (1024.0 * 1024.0);
    }

    private long Sample(GCKind kind, ref long lastIndex)
    {
        var info = GC.GetGCMemoryInfo(kind);
        if (info.Index <= lastIndex || info.Generation != GC.MaxGeneration)
        {
            return 0;
        }

        lastIndex = info.Index;
        Samples++;
        return info.PromotedBytes;
    }

    private async Task<long> SampleAsync()
    {
        long peak = baseline;
        // A background collection ends after younger ones that started later, so each kind keeps its own last index.
        long lastBlocking = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        long lastBackground = GC.GetGCMemoryInfo(GCKind.Background).Index;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var ticks = 0;
        while (true)
        {
            var stopping = false;
            try
            {
                await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // One last full collection so a short run has a sample too.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
                stopping = true;
            }

            peak = Math.Max(peak, Sample(GCKind.FullBlocking, ref lastBlocking));
            peak = Math.Max(peak, Sample(GCKind.Background, ref lastBackground));
            if (stopping)
            {
                return peak;
            }

            if (++ticks % (blocking ? 50 : 20) == 0)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking);
            }
        }
    }
}
