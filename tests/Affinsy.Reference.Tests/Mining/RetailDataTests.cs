using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

/// <summary>The published frequent-itemset counts of the FIMI retail data set (88,162 baskets).</summary>
public sealed class RetailDataTests
{
    private static readonly Lazy<BasketSet?> Retail = new(() =>
        SharedData.Find("retail.dat") is { } path ? BasketFileReader.ReadFile(path, ' ', CancellationToken.None) : null);

    [Theory]
    [InlineData("0.01", 882, 159, 160)]
    [InlineData("0.005", 441, 580, 553)]
    [InlineData("0.001", 89, 7589, 8249)] // 7589 and all rule counts checked with an independent level-wise count in Python
    public void Retail_has_the_known_number_of_frequent_itemsets_and_rules(string minSupport, int minCount, int itemsets, int rulesAtConfidence10Percent)
    {
        var retail = Retail.Value;
        if (retail is null)
        {
            Assert.Skip("shared/data/retail.dat not found beside the repository (../shared/data/retail.dat in CI)");
            return;
        }

        Assert.Equal(88_162, retail.Count);
        Assert.Equal(16_470, retail.DistinctItems);
        var count = MinimumCount.For(decimal.Parse(minSupport, System.Globalization.CultureInfo.InvariantCulture), retail.Count);
        Assert.Equal(minCount, count);

        var mined = FrequentItemsetMiner.Mine(retail, count, 0, TestContext.Current.CancellationToken);

        Assert.Equal(itemsets, mined.Count);
        var rules = RuleGenerator.Generate(retail, mined, 0.1m, 0m, 1, 1000, TestContext.Current.CancellationToken);
        Assert.Equal(rulesAtConfidence10Percent, rules.Total);
    }
}
