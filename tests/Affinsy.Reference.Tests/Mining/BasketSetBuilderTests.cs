using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

public sealed class BasketSetBuilderTests
{
    [Fact]
    public void A_builder_builds_once_because_the_set_takes_its_item_buffer()
    {
        var builder = new BasketSetBuilder();
        builder.Add(["b", "a"]);
        var set = builder.Build();

        Assert.Equal(["a", "b"], set.Basket(0).ToArray().Select(set.ItemName).Order(StringComparer.Ordinal));
        Assert.Throws<InvalidOperationException>(builder.Build);
    }
}
