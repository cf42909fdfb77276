using Affinsy.Core.Orders;

namespace Affinsy.Core.Tests.Orders;

/// <summary>
/// <see cref="OrderDraft.TryAddLine"/> refuses one line and leaves the order as it was, for sources where each line is
/// a record of its own (Kafka <c>line_item</c>); <see cref="OrderDraft.AddLine"/> still refuses the whole order.
/// </summary>
public sealed class OrderDraftTryAddLineTests
{
    [Fact]
    public void A_refused_line_leaves_the_draft_sendable_with_its_other_lines()
    {
        var draft = new OrderDraft("A");
        Assert.Null(draft.TryAddLine("Tea", 2m, 1));
        Assert.Contains("negative quantity", draft.TryAddLine("Jam", 3m, -1), StringComparison.Ordinal);
        Assert.Contains("empty product name", draft.TryAddLine("  ", 3m, 1), StringComparison.Ordinal);
        Assert.Null(draft.TryAddLine("Tea", 4m, 1));

        var order = OrderNormalizer.Normalize(draft).Order;
        Assert.NotNull(order);
        var tea = Assert.Single(order.LineItems);
        Assert.Equal(("Tea", 3m, 2m), (tea.ProductName, tea.UnitPrice, tea.Quantity));
        Assert.Equal(2, draft.LinesAdded);
        Assert.Null(draft.Problem);
    }

    [Fact]
    public void A_line_whose_merge_would_overflow_is_refused_alone_and_the_merged_line_stays_as_it_was()
    {
        var draft = new OrderDraft("A");
        Assert.Null(draft.TryAddLine("Tea", 1m, OrderRules.MaxAmount));
        Assert.NotNull(draft.TryAddLine("Tea", 1m, 1));

        var tea = Assert.Single(OrderNormalizer.Normalize(draft).Order!.LineItems);
        Assert.Equal(OrderRules.MaxAmount, tea.Quantity);
    }

    [Fact]
    public void AddLine_still_refuses_the_whole_order_for_one_bad_line()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", 2m, 1);
        draft.AddLine("Jam", 3m, -1);

        Assert.Contains("negative quantity", OrderNormalizer.Normalize(draft).RefusalReason, StringComparison.Ordinal);
    }
}
