using System.Globalization;

namespace Affinsy.Benchmarks;

/// <summary>The collector's counters at one moment, to report what a measured stretch allocated and collected.</summary>
internal readonly record struct GcFigures(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static GcFigures Now() => new(
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration());

    /// <summary>One line: allocated MB, collections per generation and pause seconds since <paramref name="start"/>.</summary>
    public string Since(GcFigures start) => string.Create(CultureInfo.InvariantCulture,
        $"gc allocated_mb {(AllocatedBytes - start.AllocatedBytes) / (1024.0 * 1024.0):F0} gen0 {Gen0 - start.Gen0} gen1 {Gen1 - start.Gen1} gen2 {Gen2 - start.Gen2} pause_seconds {(Paused - start.Paused).TotalSeconds:F2}");
}
