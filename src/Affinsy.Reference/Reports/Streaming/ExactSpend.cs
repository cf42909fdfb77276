using System.Runtime.CompilerServices;

namespace Affinsy.Reference.Reports.Streaming;

/// <summary>
/// A spend total equal, value and scale, to the contract's decimal arithmetic (each amount converted with
/// <c>(decimal)double</c>, multiplied, summed from <c>0m</c>), without a decimal per row: while the amounts are
/// non-negative with at most <see cref="MaxScale"/> decimals and the total fits, it is a whole number of
/// 10^-scale units in a long. Decimal arithmetic is exact in that range (scale = the larger of the two on addition,
/// the sum of both on multiplication), so the long and the decimal agree digit for digit, trailing zeros included.
/// Past that range the total becomes the decimal it would have been and carries on as decimal arithmetic, so even
/// rounding and overflow stay the contract's.
/// </summary>
internal struct ExactSpend
{
    private const int MaxScale = 6;
    private const double MaxUnits = 1e12; // <= 12 significant digits: far from (decimal)double's 15-digit rounding

    private static readonly long[] Powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000, 1_000_000_000_000];

    private long _units;
    private int _scale;
    private bool _wide;
    private decimal _decimal;

    public readonly decimal Value => _wide ? _decimal : Decimal(_units, _scale);

    /// <summary>The total as a whole number of 10^-scale units, unless it went past the long range (then the decimal is <see cref="Value"/>).</summary>
    public readonly bool TryGetUnits(out long units, out int scale)
    {
        (units, scale) = (_units, _scale);
        return !_wide;
    }

    /// <summary>A total stored as <see cref="TryGetUnits"/> gave it.</summary>
    public static ExactSpend FromUnits(long units, int scale) => new() { _units = units, _scale = scale };

    /// <summary>A total past the long range, as its decimal (value and scale).</summary>
    public static ExactSpend FromDecimal(decimal value) => new() { _wide = true, _decimal = value };

    /// <summary>Adds unit_price x quantity as <c>(decimal)unitPrice * (decimal)quantity</c> would; throws <see cref="OverflowException"/> as decimal does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddProduct(double unitPrice, double quantity)
    {
        if (!_wide && Scaled(unitPrice, out var pu, out var ps) && Scaled(quantity, out var qu, out var qs))
        {
            var high = Math.BigMul((ulong)pu, (ulong)qu, out var low);
            if (high == 0 && low <= long.MaxValue && TryAdd((long)low, ps + qs))
            {
                return;
            }
        }

        Widen();
        _decimal += (decimal)unitPrice * (decimal)quantity;
    }

    /// <summary>Adds another total as decimal addition would.</summary>
    public void Add(in ExactSpend other)
    {
        if (!_wide && !other._wide && TryAdd(other._units, other._scale))
        {
            return;
        }

        Widen();
        _decimal += other.Value;
    }

    /// <summary>
    /// The double as <c>(decimal)x</c> gives it, in units of 10^-scale with the smallest scale (the conversion keeps no
    /// trailing zeros), when x is non-negative with at most <see cref="MaxScale"/> decimals and under 10^12 units.
    /// x is the nearest double to units/10^scale exactly when the correctly rounded division gives x back; with at most
    /// 12 significant digits that decimal is then also what rounding x to 15 significant digits gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Scaled(double x, out long units, out int scale)
    {
        if (x > 0 && x < MaxUnits)
        {
            for (scale = 0; scale <= MaxScale; scale++)
            {
                double power = Powers[scale];
                var rounded = Math.Round(x * power);
                if (rounded >= MaxUnits)
                {
                    break;
                }

                if (rounded / power == x)
                {
                    units = (long)rounded;
                    return true;
                }
            }
        }
        else if (BitConverter.DoubleToInt64Bits(x) == 0)
        {
            (units, scale) = (0, 0);
            return true;
        }

        (units, scale) = (0, 0);
        return false;
    }

    private bool TryAdd(long units, int scale)
    {
        var (a, b, s) = (_units, units, _scale);
        if (scale > s)
        {
            (a, s) = (Multiply(a, Powers[scale - s]), scale);
        }
        else if (scale < s)
        {
            b = Multiply(b, Powers[s - scale]);
        }

        if (a < 0 || b < 0 || a > long.MaxValue - b)
        {
            return false;
        }

        (_units, _scale) = (a + b, s);
        return true;
    }

    // -1 when the product does not fit (both operands are non-negative).
    private static long Multiply(long a, long power)
    {
        var high = Math.BigMul((ulong)a, (ulong)power, out var low);
        return a < 0 || high != 0 || low > long.MaxValue ? -1 : (long)low;
    }

    private void Widen()
    {
        if (!_wide)
        {
            (_decimal, _wide) = (Decimal(_units, _scale), true);
        }
    }

    private static decimal Decimal(long units, int scale) => new((int)units, (int)(units >> 32), 0, false, (byte)scale);
}
