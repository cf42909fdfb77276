using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Tests.Sources;

public sealed class SkipCountsTests
{
    [Fact]
    public void Normalizing_a_batch_adds_orders_with_nothing_bought_to_the_sources_skips_and_leaves_them_untouched()
    {
        var sent = new OrderDraft("1");
        sent.AddLine("Tea", 2m, 1m);
        var zero = new OrderDraft("2");
        zero.AddLine("Tea", 2m, 0m);
        var broken = new OrderDraft("3");
        broken.AddLine("", 2m, 1m);
        var fromSource = new SkipCounts();
        fromSource.Add(SkipReason.Cancelled, 2);
        var batch = new OrderBatch([sent, zero, broken], [], null) { Skipped = fromSource };

        var normalized = batch.Normalize();

        Assert.Equal(["1"], normalized.Orders.Select(o => o.OrderId));
        Assert.Equal("3", Assert.Single(normalized.Refusals).OrderId);
        Assert.Equal("2 cancelled, 1 zero_quantity", normalized.Skipped!.Describe());
        Assert.Equal("2 cancelled", fromSource.Describe());
    }

    [Fact]
    public void A_batch_without_skips_normalizes_to_none()
    {
        var sent = new OrderDraft("1");
        sent.AddLine("Tea", 2m, 1m);

        Assert.Null(new OrderBatch([sent], [], null).Normalize().Skipped);
    }

    [Fact]
    public void The_json_holds_the_non_zero_counts_by_name_and_reads_back_ignoring_unknown_reasons()
    {
        var counts = new SkipCounts();
        counts.Add(SkipReason.StatusNotSold, 3);
        counts.Add(SkipReason.ZeroQuantity);

        Assert.Equal("""{"status_not_sold":3,"zero_quantity":1}""", counts.ToJson());
        var back = SkipCounts.Parse("""{"status_not_sold":3,"zero_quantity":1,"from_a_newer_version":9}""");
        Assert.Equal((3L, 1L, 4L), (back[SkipReason.StatusNotSold], back[SkipReason.ZeroQuantity], back.Total));
        Assert.True(SkipCounts.Parse(null).IsEmpty);
        Assert.Equal("{}", new SkipCounts().ToJson());
    }

    [Fact]
    public void Every_reason_has_a_distinct_snake_case_name_that_parses_back()
    {
        var names = SkipReasons.All.Select(SkipReasons.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(SkipReasons.All, r => Assert.True(SkipReasons.TryParse(SkipReasons.Name(r), out var back) && back == r));
        Assert.All(names, n => Assert.Matches("^[a-z_]+$", n));
    }
}
