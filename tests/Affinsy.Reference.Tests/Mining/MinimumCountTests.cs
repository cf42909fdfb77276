using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

public sealed class MinimumCountTests
{
    [Theory]
    [InlineData("0.07", 100, 7)] // a double product is 7.000000000000001 and would give 8
    [InlineData("0.01", 88162, 882)] // 881.62 rounds up
    [InlineData("0.005", 88162, 441)] // 440.81
    [InlineData("0.001", 88162, 89)] // 88.162
    [InlineData("1", 5, 5)] // support 1: every basket
    [InlineData("1", 1, 1)]
    [InlineData("0.5", 3, 2)] // 1.5
    [InlineData("0.01", 3, 1)] // tiny N: 0.03 still needs one basket
    [InlineData("0.3", 10, 3)] // exactly an integer stays that integer
    [InlineData("0.01", 0, 1)] // no baskets: nothing can be frequent
    [InlineData("0.3333333333333333333333333334", 3, 2)] // just above 1/3: one basket of three is not enough
    [InlineData("0.8888888888888888888888888889", 9, 9)] // the exact product 8.0000000000000000000000000001 has more digits than decimal keeps
    public void Minimum_count_is_the_exact_ceiling_of_support_times_baskets(string minSupport, int baskets, int expected)
    {
        var support = decimal.Parse(minSupport, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, MinimumCount.For(support, baskets));
    }

    [Fact]
    public void Support_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MinimumCount.For(1.01m, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => MinimumCount.For(-0.1m, 10));
    }
}
