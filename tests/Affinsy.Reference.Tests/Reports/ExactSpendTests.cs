using Affinsy.Reference.Reports.Streaming;
using Affinsy.Reference.Storage;
using Xunit;

namespace Affinsy.Reference.Tests.Reports;

/// <summary>
/// The streamed spend (<see cref="ExactSpend"/>, scaled longs) equals the contract's decimal arithmetic digit for digit:
/// same value and same scale (trailing zeros show in the report's JSON), on amounts with any number of decimals, huge
/// amounts, and totals past a long, where it must carry on as decimal would.
/// </summary>
public sealed class ExactSpendTests
{
    [Fact]
    public void A_double_converts_as_decimal_conversion_does_or_not_at_all()
    {
        var random = new Random(19);
        var converted = 0;
        for (var i = 0; i < 400_000; i++)
        {
            var x = Amount(random);
            if (ExactSpend.Scaled(x, out var units, out var scale))
            {
                converted++;
                Assert.Equal(decimal.GetBits((decimal)x), decimal.GetBits(new decimal((int)units, (int)(units >> 32), 0, false, (byte)scale)));
            }
        }

        Assert.True(converted > 200_000, $"only {converted} of 400,000 amounts took the fast path");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(19.99)]
    [InlineData(2.5)]
    [InlineData(100)]
    [InlineData(0)]
    [InlineData(0.000001)]
    [InlineData(123456789.25)]
    public void Everyday_prices_take_the_fast_path_with_decimal_scale(double price)
    {
        Assert.True(ExactSpend.Scaled(price, out var units, out var scale));
        Assert.Equal(decimal.GetBits((decimal)price), decimal.GetBits(new decimal((int)units, (int)(units >> 32), 0, false, (byte)scale)));
    }

    [Theory]
    [InlineData(-1.5)]
    [InlineData(-0.0)]
    [InlineData(0.123456789)]
    [InlineData(1e13)]
    [InlineData(double.NaN)]
    public void Negative_long_or_many_decimal_amounts_are_left_to_decimal(double price) =>
        Assert.False(ExactSpend.Scaled(price, out _, out _));

    [Fact]
    public void Sums_of_products_equal_decimal_sums_bit_for_bit()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50_000; trial++)
        {
            var order = default(ExactSpend);
            var expected = 0m;
            for (var line = random.Next(1, 8); line > 0; line--)
            {
                var price = Amount(random);
                var quantity = random.Next(4) == 0 ? random.Next(1, 50) / 10.0 : random.Next(1, 4);
                order.AddProduct(price, quantity);
                expected += (decimal)price * (decimal)quantity;
            }

            var customer = default(ExactSpend);
            customer.Add(order);
            customer.Add(order);
            Assert.Equal(decimal.GetBits(expected), decimal.GetBits(order.Value));
            Assert.Equal(decimal.GetBits(0m + expected + expected), decimal.GetBits(customer.Value));
        }
    }

    [Fact]
    public void A_total_past_a_long_carries_on_as_decimal()
    {
        var spend = default(ExactSpend);
        var expected = 0m;
        for (var i = 0; i < 40; i++)
        {
            spend.AddProduct(999_999_999_999.99, 99_999.5);
            expected += 999_999_999_999.99m * 99_999.5m;
        }

        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(spend.Value));
    }

    [Fact]
    public void Decimal_overflow_still_throws_as_the_contract_path_does()
    {
        var spend = default(ExactSpend);
        Assert.Throws<OverflowException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                spend.AddProduct(1e15, 1e14);
            }
        });
    }

    [Fact]
    public void The_report_scan_reads_sqlite_columns_directly_on_this_platform() =>
        Assert.True(SqliteColumns.Direct, "e_sqlite3 was not reachable directly: reports fall back to SQLitePCL.raw (correct, slower)");

    private static double Amount(Random random) => random.Next(6) switch
    {
        0 => random.Next(0, 1_000_000) / Math.Pow(10, random.Next(0, 8)),
        1 => random.NextInt64(0, 10_000_000_000_000) / Math.Pow(10, random.Next(0, 8)),
        2 => random.NextDouble() * Math.Pow(10, random.Next(-3, 14)),
        3 => Math.Round(random.NextDouble() * 1000, random.Next(0, 7)),
        4 => random.Next(2) == 0 ? 0.1 : 19.99,
        _ => -random.Next(1, 100) / 4.0,
    };
}
