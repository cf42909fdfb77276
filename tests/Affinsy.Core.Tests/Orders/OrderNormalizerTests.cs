using Affinsy.Core.Sources;
using Affinsy.Core.Orders;

namespace Affinsy.Core.Tests.Orders;

public sealed class OrderNormalizerTests
{
    [Fact]
    public void Names_and_ids_are_trimmed_and_a_blank_customer_becomes_none()
    {
        var draft = new OrderDraft("  A-1 ") { CustomerId = "   " };
        draft.AddLine("  Tea  ", 2m, 1m);

        var order = OrderNormalizer.Normalize(draft).Order!;

        Assert.Equal("A-1", order.OrderId);
        Assert.Null(order.CustomerId);
        Assert.Equal("Tea", Assert.Single(order.LineItems).ProductName);
    }

    [Fact]
    public void Repeated_products_merge_with_summed_quantity_and_quantity_weighted_price()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", 2m, 1m);
        draft.AddLine(" Tea", 4m, 3m);
        draft.AddLine("Cake", 1.5m, 2m);

        var order = OrderNormalizer.Normalize(draft).Order!;

        Assert.Equal(2, order.LineItems.Count);
        var tea = order.LineItems[0];
        Assert.Equal(("Tea", 3.5m, 4m), (tea.ProductName, tea.UnitPrice, tea.Quantity));
        Assert.Equal(new LineItem("Cake", 1.5m, 2m), order.LineItems[1]);
    }

    [Fact]
    public void A_weighted_price_that_does_not_divide_evenly_keeps_six_decimals()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", 1m, 1m);
        draft.AddLine("Tea", 2m, 2m);

        var tea = Assert.Single(OrderNormalizer.Normalize(draft).Order!.LineItems);

        Assert.Equal(1.666667m, tea.UnitPrice);
        Assert.Equal(3m, tea.Quantity);
    }

    [Fact]
    public void Zero_quantity_lines_are_dropped()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", 2m, 0m);
        draft.AddLine("Cake", 1m, 1m);

        var order = OrderNormalizer.Normalize(draft).Order!;

        Assert.Equal("Cake", Assert.Single(order.LineItems).ProductName);
    }

    [Fact]
    public void Dates_are_converted_to_utc()
    {
        var draft = new OrderDraft("A") { OrderDate = new DateTimeOffset(2025, 3, 15, 12, 0, 0, TimeSpan.FromHours(2)) };
        draft.AddLine("Tea", 1m, 1m);

        var order = OrderNormalizer.Normalize(draft).Order!;

        Assert.Equal(new DateTimeOffset(2025, 3, 15, 10, 0, 0, TimeSpan.Zero), order.OrderDate);
        Assert.Equal(TimeSpan.Zero, order.OrderDate!.Value.Offset);
    }

    [Theory]
    [InlineData(null, "no order id")]
    [InlineData("   ", "no order id")]
    public void An_order_without_id_is_refused(string? id, string expected)
    {
        var draft = new OrderDraft(id);
        draft.AddLine("Tea", 1m, 1m);

        var result = OrderNormalizer.Normalize(draft);

        Assert.True(result.IsRefused);
        Assert.Contains(expected, result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_id_over_256_characters_is_refused_with_what_to_do()
    {
        var draft = new OrderDraft(new string('x', 257));
        draft.AddLine("Tea", 1m, 1m);

        var reason = OrderNormalizer.Normalize(draft).RefusalReason;

        Assert.Contains("257 characters", reason, StringComparison.Ordinal);
        Assert.Contains("max 256", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_id_of_exactly_256_characters_is_accepted()
    {
        var draft = new OrderDraft(new string('x', 256));
        draft.AddLine("Tea", 1m, 1m);

        Assert.False(OrderNormalizer.Normalize(draft).IsRefused);
    }

    [Fact]
    public void An_order_without_lines_is_refused()
    {
        var reason = OrderNormalizer.Normalize(new OrderDraft("A")).RefusalReason;

        Assert.Contains("no line items", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_whose_lines_all_have_zero_quantity_is_skipped_not_refused()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", 1m, 0m);

        var result = OrderNormalizer.Normalize(draft);

        Assert.Equal((null, null, SkipReason.ZeroQuantity), (result.Order, result.RefusalReason, result.Skipped));
        Assert.False(result.IsRefused);
        Assert.False(draft.WillBeRefused);
    }

    [Fact]
    public void An_order_of_only_lines_left_out_as_returns_is_skipped_as_a_return()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", 1m, 0m);
        draft.LeaveOutLine(SkipReason.Return);

        Assert.Equal(SkipReason.Return, OrderNormalizer.Normalize(draft).Skipped);
    }

    [Fact]
    public void A_refused_line_wins_over_a_skip_so_a_broken_record_is_never_hidden()
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Tea", -1m, 0m);

        var result = OrderNormalizer.Normalize(draft);

        Assert.True(result.IsRefused);
        Assert.Contains("negative unit price", result.RefusalReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 1, 1, "empty product name")]
    [InlineData("   ", 1, 1, "empty product name")]
    [InlineData("Tea", -0.01, 1, "negative unit price")]
    [InlineData("Tea", 1, -1, "negative quantity")]
    public void Lines_the_api_would_reject_refuse_the_order(string name, double price, double quantity, string expected)
    {
        var draft = new OrderDraft("A");
        draft.AddLine("Cake", 1m, 1m);
        draft.AddLine(name, (decimal)price, (decimal)quantity);

        var result = OrderNormalizer.Normalize(draft);

        Assert.True(result.IsRefused);
        Assert.Contains(expected, result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_product_name_over_512_characters_after_trim_is_refused_but_512_is_fine()
    {
        var ok = new OrderDraft("A");
        ok.AddLine("  " + new string('p', 512) + "  ", 1m, 1m);
        var tooLong = new OrderDraft("B");
        tooLong.AddLine(new string('p', 513), 1m, 1m);

        Assert.False(OrderNormalizer.Normalize(ok).IsRefused);
        Assert.Contains("max 512", OrderNormalizer.Normalize(tooLong).RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_10000_distinct_products_are_accepted()
    {
        var draft = new OrderDraft("A");
        for (var i = 0; i < 10_000; i++)
        {
            draft.AddLine($"p{i}", 1m, 1m);
        }

        Assert.Equal(10_000, OrderNormalizer.Normalize(draft).Order!.LineItems.Count);
    }

    [Fact]
    public void More_than_10000_distinct_products_are_refused()
    {
        var draft = new OrderDraft("A");
        for (var i = 0; i < 10_001; i++)
        {
            draft.AddLine($"p{i}", 1m, 1m);
        }

        var reason = OrderNormalizer.Normalize(draft).RefusalReason;

        Assert.Contains("more than 10000 distinct products", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeats_of_one_product_do_not_count_toward_the_distinct_limit()
    {
        var draft = new OrderDraft("A");
        for (var i = 0; i < 20_000; i++)
        {
            draft.AddLine($"p{i % 10_000}", 1m, 1m);
        }

        var order = OrderNormalizer.Normalize(draft).Order!;

        Assert.Equal(10_000, order.LineItems.Count);
        Assert.All(order.LineItems, l => Assert.Equal(2m, l.Quantity));
    }

    [Fact]
    public void A_whole_order_is_normalized_again_when_a_source_builds_it_directly()
    {
        var order = new Order(" A ", "c1", null, "EUR", [new LineItem("Tea ", 1m, 1m), new LineItem("Tea", 3m, 1m), new LineItem("Cake", 1m, 0m)]);

        var normalized = OrderNormalizer.Normalize(order).Order!;

        Assert.Equal("A", normalized.OrderId);
        Assert.Equal(new LineItem("Tea", 2m, 2m), Assert.Single(normalized.LineItems));
    }
}
