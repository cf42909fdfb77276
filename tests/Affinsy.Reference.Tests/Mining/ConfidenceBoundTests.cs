using System.Globalization;
using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

/// <summary>
/// The rules' confidence test is one integer bound per itemset: count(X) &lt;= floor(count(X u Y) / threshold). It must
/// agree with the exact cross-product test (confidence = count(X u Y) / count(X) &gt;= threshold) on both sides of the bound.
/// </summary>
public sealed class ConfidenceBoundTests
{
    [Theory]
    [InlineData("0.1")]
    [InlineData("0.07")]
    [InlineData("0.5")]
    [InlineData("1")]
    [InlineData("0.3333333333333333333333333333")] // just below 1/3: more digits than a double keeps
    [InlineData("0.3333333333333333333333333334")] // just above 1/3
    [InlineData("0.0000000000000000000000000001")] // the smallest decimal: the bound caps at int.MaxValue
    public void The_bound_is_the_largest_antecedent_count_that_meets_the_threshold(string minConfidence)
    {
        var threshold = ExactThreshold.From(decimal.Parse(minConfidence, CultureInfo.InvariantCulture));
        foreach (var whole in new uint[] { 1, 2, 3, 9, 18, 89, 300, 88162 })
        {
            var bound = threshold.LargestDenominatorMeeting(whole);

            Assert.True(threshold.IsMetBy(whole, (uint)bound), $"{whole} / {bound} should meet {minConfidence}");
            if (bound < int.MaxValue)
            {
                Assert.False(threshold.IsMetBy(whole, (uint)bound + 1), $"{whole} / {bound + 1} should miss {minConfidence}");
            }
        }
    }
}
