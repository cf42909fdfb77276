namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Our own generator rather than <see cref="Random"/> so the
/// sequence is fixed by this file alone, not by whichever algorithm a runtime version picks. Only
/// integer arithmetic and one exact division are used, so every platform draws the same numbers.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, exclusiveMax).</summary>
    public int Next(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        return (int)(NextUInt64() % (ulong)exclusiveMax); // modulo bias is < 2^-32 here: irrelevant
    }

    /// <summary>Uniform integer in [min, max] inclusive.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A new independent stream, so one part of the model can change without shifting the others.</summary>
    public SeededRandom Fork() => new(NextUInt64());

    /// <summary>Index drawn with probability proportional to cumulative weights (ascending, last = total).</summary>
    public int PickCumulative(ReadOnlySpan<double> cumulative)
    {
        var target = NextDouble() * cumulative[^1];
        var lo = 0;
        var hi = cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
