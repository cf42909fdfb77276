using Affinsy.Core.Orders;

namespace Affinsy.Core.Tests.Orders;

/// <summary>Amounts past what decimal can total: the order is refused with a reason, never an OverflowException.</summary>
public sealed class OrderAmountLimitTests
{
    [Theory]
    [InlineData("1e15", "1e15", "unit_price x quantity")]
    [InlineData("9e14", "9e14", "unit_price x quantity")]
    [InlineData("1e16", "1", "unit_price")]
    [InlineData("1", "2e15", "quantity")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335", "unit_price")]
    public void A_line_beyond_the_amount_limit_is_refused_naming_the_field(string price, string quantity, string field)
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", decimal.Parse(price, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(quantity, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture));
        draft.AddLine("Cake", 2m, 1m);

        var result = OrderNormalizer.Normalize(draft);

        Assert.Null(result.Order);
        Assert.StartsWith(field, result.RefusalReason, StringComparison.Ordinal);
        Assert.Contains("'Tea'", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_at_the_limit_is_sent_unchanged()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", OrderRules.MaxAmount / 4, 4m);

        var line = Assert.Single(OrderNormalizer.Normalize(draft).Order!.LineItems);

        Assert.Equal(new LineItem("Tea", OrderRules.MaxAmount / 4, 4m), line);
    }

    [Fact]
    public void Repeated_lines_that_add_up_past_the_limit_refuse_the_order_without_overflow()
    {
        var draft = new OrderDraft("A");
        for (var i = 0; i < 3; i++)
        {
            draft.AddLine("Tea", OrderRules.MaxAmount / 2, 1m);
        }

        var result = OrderNormalizer.Normalize(draft);

        Assert.Null(result.Order);
        Assert.Contains("add up to a unit_price x quantity over", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_order_built_by_a_source_is_checked_the_same_way()
    {
        var order = new Order("A", null, null, null, [new LineItem("Tea", 1e15m, 1e15m)]);

        var result = OrderNormalizer.Normalize(order);

        Assert.Null(result.Order);
        Assert.StartsWith("unit_price x quantity", result.RefusalReason, StringComparison.Ordinal);
    }
}
