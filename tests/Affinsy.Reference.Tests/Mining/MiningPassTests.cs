using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

/// <summary>The public phase-by-phase entry the mining benchmark times gives what the miner gives.</summary>
public sealed class MiningPassTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"affinsy-baskets-{Guid.NewGuid():N}.dat");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Itemsets_and_rules_of_a_small_file_are_counted_as_the_miner_counts_them()
    {
        // a in all 4 baskets, b in 2, c and d in 1: at support 0.5 (2 baskets) {a}, {b}, {a b} are frequent.
        File.WriteAllText(_path, "a b\na b\na c\nd a\n");
        var pass = MiningPass.Load(_path, ' ', CancellationToken.None);

        Assert.Equal((4, 4), (pass.Baskets, pass.DistinctItems));
        Assert.Equal(3, pass.MineItemsets(0.5m, 0, CancellationToken.None));
        Assert.Equal(2, pass.GenerateRules(0m, 10, CancellationToken.None)); // a -> b (confidence 2/4) and b -> a
        Assert.Equal(1, pass.GenerateRules(0.9m, 10, CancellationToken.None)); // only b -> a (confidence 1)
    }

    [Fact]
    public void Rules_before_itemsets_is_a_clear_error()
    {
        File.WriteAllText(_path, "a b\n");

        var e = Assert.Throws<InvalidOperationException>(() => MiningPass.Load(_path, ' ', CancellationToken.None).GenerateRules(0m, 10, CancellationToken.None));

        Assert.Contains("Mine the itemsets", e.Message, StringComparison.Ordinal);
    }
}
