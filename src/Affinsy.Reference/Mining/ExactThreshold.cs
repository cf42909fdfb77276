using System.Numerics;

namespace Affinsy.Reference.Mining;

/// <summary>
/// A decimal threshold held as the exact fraction mantissa / 10^scale, so comparing it with a ratio of counts
/// never rounds. A decimal product such as 0.3333333333333333333333333333 x 300 has more digits than decimal
/// keeps, so plain decimal arithmetic can land on the wrong side of an integer boundary.
/// </summary>
internal readonly struct ExactThreshold
{
    private readonly UInt128 _mantissa;
    private readonly UInt128 _denominator;

    private ExactThreshold(UInt128 mantissa, UInt128 denominator)
    {
        _mantissa = mantissa;
        _denominator = denominator;
    }

    public bool IsZero => _mantissa == UInt128.Zero;

    public static ExactThreshold From(decimal value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        var denominator = UInt128.One;
        for (var i = 0; i < scale; i++)
        {
            denominator *= 10;
        }

        return new ExactThreshold(mantissa, denominator);
    }

    /// <summary>True when numerator / denominator &gt;= this threshold, compared exactly.</summary>
    public bool IsMetBy(UInt128 numerator, UInt128 denominator)
    {
        if (FitsProduct(numerator, _denominator) && FitsProduct(_mantissa, denominator))
        {
            return numerator * _denominator >= _mantissa * denominator;
        }

        return (BigInteger)numerator * _denominator >= (BigInteger)_mantissa * denominator;
    }

    /// <summary>
    /// floor(numerator / this), at most int.MaxValue: the largest integer k with numerator / k &gt;= this threshold, so
    /// "numerator / k meets it" is the integer test k &lt;= the result. The threshold must not be zero.
    /// </summary>
    public int LargestDenominatorMeeting(uint numerator)
    {
        UInt128 largest;
        if (FitsProduct(numerator, _denominator))
        {
            largest = numerator * _denominator / _mantissa;
        }
        else
        {
            largest = (UInt128)((BigInteger)numerator * _denominator / _mantissa);
        }

        return (int)UInt128.Min(largest, int.MaxValue);
    }

    /// <summary>ceil(this x count): the smallest integer k with k / count &gt;= this threshold.</summary>
    public UInt128 CeilingTimes(UInt128 count)
    {
        if (FitsProduct(_mantissa, count) && _mantissa * count <= UInt128.MaxValue - _denominator)
        {
            return ((_mantissa * count) + _denominator - 1) / _denominator;
        }

        var product = (BigInteger)_mantissa * count;
        return (UInt128)((product + _denominator - 1) / _denominator);
    }

    private static bool FitsProduct(UInt128 a, UInt128 b) =>
        256 - (int)UInt128.LeadingZeroCount(a) - (int)UInt128.LeadingZeroCount(b) <= 128;
}
