using Affinsy.Sink.Sending;
using Affinsy.Sink.Tests.Fakes;

namespace Affinsy.Sink.Tests;

public sealed class BatchPackerTests
{
    [Fact]
    public void Orders_totalling_exactly_the_limit_fit_one_request()
    {
        var packer = new BatchPacker(10_000);
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(packer.Add(Orders.WithLines($"o{i}", 100), batch: 0));
        }

        var request = packer.Flush();
        Assert.NotNull(request);
        Assert.Equal(10_000, request.LineItems);
        Assert.Equal(100, request.Orders.Count);
        Assert.True(packer.IsEmpty);
    }

    [Fact]
    public void One_line_item_over_the_limit_starts_a_new_request_without_splitting_the_order()
    {
        var packer = new BatchPacker(10_000);
        packer.Add(Orders.WithLines("a", 9_999), batch: 0);
        var full = packer.Add(Orders.WithLines("b", 2), batch: 1);

        Assert.NotNull(full);
        Assert.Equal(["a"], full.Orders.Select(o => o.OrderId));
        Assert.Equal(9_999, full.LineItems);
        var rest = packer.Flush()!;
        Assert.Equal(["b"], rest.Orders.Select(o => o.OrderId));
        Assert.Equal(2, rest.LineItems);
    }

    [Fact]
    public void Shares_say_how_many_orders_of_each_batch_a_request_holds()
    {
        var packer = new BatchPacker(10);
        packer.Add(Orders.WithLines("a", 2), batch: 3);
        packer.Add(Orders.WithLines("b", 2), batch: 3);
        packer.Add(Orders.WithLines("c", 2), batch: 4);

        var request = packer.Flush()!;
        Assert.Equal([new BatchShare(3, 2), new BatchShare(4, 1)], request.Shares);
    }

    [Fact]
    public void An_order_larger_than_the_limit_does_not_fit_and_is_not_packed()
    {
        var packer = new BatchPacker(5);
        var big = Orders.WithLines("big", 6);

        Assert.False(packer.Fits(big));
        Assert.Throws<ArgumentException>(() => packer.Add(big, 0));
        Assert.True(packer.IsEmpty);
    }
}
