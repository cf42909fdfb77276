using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

public sealed class TopRulesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_bounded_selection_equals_the_head_of_a_full_sort(int seed)
    {
        // Few distinct counts, so lift, confidence and support tie often and the name ranks decide.
        var random = new Random(seed);
        var ranks = new List<int>();
        var candidates = new List<RuleCandidate>();
        for (var i = 0; i < 300; i++)
        {
            var x = 2 + random.Next(4);
            var offset = ranks.Count;
            ranks.Add(i);
            ranks.Add(random.Next(3));
            candidates.Add(new RuleCandidate(1 + random.Next(x), x, 2 + random.Next(4), offset, 1, 1));
        }

        var order = new RuleOrder(ranks);
        var sorted = candidates.ToArray();
        Array.Sort(sorted, order);

        foreach (var take in new[] { 1, 2, 7, 150, 299, 300, 1000 })
        {
            Assert.Equal(sorted.Take(take), TopRules.Select(candidates.ToArray(), take, order));
        }
    }
}
