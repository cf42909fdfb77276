namespace Affinsy.Core.Sources;

/// <summary>
/// How far through a source of known size a batch ends, in the source's own unit (bytes of a file, objects of a bulk
/// export, messages up to a topic's high watermark), for a progress line with an ETA. Sources that cannot know
/// their total leave it out.
/// </summary>
/// <param name="Done">Units read up to the end of the batch.</param>
/// <param name="Total">Units in the source (positive).</param>
public readonly record struct SourceProgress(long Done, long Total)
{
    /// <summary>The share read, 0 to 1.</summary>
    public double Fraction => Total <= 0 ? 0 : Math.Clamp((double)Done / Total, 0, 1);

    /// <summary>What the rest should take at the pace so far; null before anything was read.</summary>
    public TimeSpan? Remaining(TimeSpan elapsed) =>
        Done <= 0 || Total <= 0 ? null : TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - Fraction) / Fraction);
}
