using System.Security.Cryptography;
using System.Text;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Core.Orders;

namespace Affinsy.Connectors.WooCommerce.Tests;

public sealed class WooCommerceOrderMapperTests
{
    private const string TwoLines = """
        {"id":727,"number":"WC-727","status":"completed","currency":"EUR","customer_id":0,
         "billing":{"email":" Jane.Doe@Example.COM "},
         "date_created":"2025-03-15T12:30:00","date_created_gmt":"2025-03-15T10:30:00",
         "date_modified_gmt":"2025-03-16T08:00:05","date_paid_gmt":"2025-03-15T10:35:00",
         "line_items":[
           {"id":11,"name":"Tea","product_id":5,"variation_id":0,"quantity":3,"subtotal":"30.00","total":"27.00","sku":"T-1","price":9},
           {"id":12,"name":"Cake","product_id":6,"variation_id":61,"quantity":2,"subtotal":"10.00","total":"10.00","sku":"","price":5}],
         "refunds":[{"id":900,"reason":"","total":"-9.00"}]}
        """;

    [Fact]
    public void A_refund_object_takes_its_negative_quantity_off_the_line_it_names()
    {
        var refunds = new[] { Refund(new WooRefundLineItem { ProductId = 5, Quantity = -1, MetaData = [ItemRef("11")] }) };

        var order = Normalize(WooCommerceOrderMapper.ToDraft(Parse(TwoLines), refunds, new WooCommerceMapping())!);

        Assert.Equal([new LineItem("Tea", 9m, 2m), new LineItem("Cake", 5m, 2m)], order.LineItems);
    }

    [Fact]
    public void A_refund_line_without_its_item_reference_is_matched_by_product_and_variation()
    {
        var refunds = new[]
        {
            Refund(new WooRefundLineItem { ProductId = 6, VariationId = 61, Quantity = -2 }),
            Refund(new WooRefundLineItem { ProductId = 6, VariationId = 0, Quantity = -1 }),
        };

        var order = Normalize(WooCommerceOrderMapper.ToDraft(Parse(TwoLines), refunds, new WooCommerceMapping())!);

        // The whole Cake line is refunded (dropped); a refund of another variation touches nothing.
        Assert.Equal([new LineItem("Tea", 9m, 3m)], order.LineItems);
    }

    [Fact]
    public void Refunds_that_take_back_more_than_was_ordered_refuse_the_order()
    {
        var refunds = new[] { Refund(new WooRefundLineItem { Quantity = -4, MetaData = [ItemRef("11")] }) };

        var result = OrderNormalizer.Normalize(WooCommerceOrderMapper.ToDraft(Parse(TwoLines), refunds, new WooCommerceMapping())!);

        Assert.Contains("refunds take back 4 of 3", result.RefusalReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guest_is_the_sha256_of_the_trimmed_lower_cased_billing_email()
    {
        var order = Normalize(WooCommerceOrderMapper.ToDraft(Parse(TwoLines), [], new WooCommerceMapping())!);

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("jane.doe@example.com")));
        Assert.Equal(expected, order.CustomerId);
    }

    [Fact]
    public void A_guest_without_an_email_has_no_customer_and_a_registered_customer_keeps_its_id()
    {
        var guest = Parse(TwoLines) with { Billing = new WooBilling { Email = "" } };
        var registered = Parse(TwoLines) with { CustomerId = 42 };

        Assert.Null(Normalize(WooCommerceOrderMapper.ToDraft(guest, [], new WooCommerceMapping())!).CustomerId);
        Assert.Equal("42", Normalize(WooCommerceOrderMapper.ToDraft(registered, [], new WooCommerceMapping())!).CustomerId);
        Assert.Equal(
            WooCommerceOrderMapper.EmailHash("jane.doe@example.com"),
            Normalize(WooCommerceOrderMapper.ToDraft(registered, [], new WooCommerceMapping { CustomerId = CustomerIdField.EmailHash })!).CustomerId);
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("refunded")]
    [InlineData("failed")]
    [InlineData("trash")]
    [InlineData("checkout-draft")]
    public void Orders_that_were_not_sold_are_skipped(string status)
    {
        Assert.Null(WooCommerceOrderMapper.ToDraft(Parse(TwoLines) with { Status = status }, [], new WooCommerceMapping()));
    }

    [Fact]
    public void Unit_price_is_the_discounted_total_over_quantity_and_price_only_when_the_total_is_unusable()
    {
        var discounted = new WooLineItem { Quantity = 3, Total = "10.00", Subtotal = "12.00", Price = 3.3333333333333335m };
        var noTotal = new WooLineItem { Quantity = 2, Total = "", Price = 4.5m };
        var zeroQuantity = new WooLineItem { Quantity = 0, Total = "0.00", Price = 2m };

        Assert.Equal(10m / 3m, WooCommerceOrderMapper.UnitPrice(discounted));
        Assert.Equal(4.5m, WooCommerceOrderMapper.UnitPrice(noTotal));
        Assert.Equal(2m, WooCommerceOrderMapper.UnitPrice(zeroQuantity));
    }

    [Fact]
    public void Ids_dates_and_names_come_from_the_gmt_fields_the_id_and_the_number()
    {
        var order = Normalize(WooCommerceOrderMapper.ToDraft(Parse(TwoLines), [], new WooCommerceMapping { ProductName = ProductNameField.Sku })!);
        var unpaid = Normalize(WooCommerceOrderMapper.ToDraft(Parse(TwoLines) with { DatePaidGmt = null }, [], new WooCommerceMapping())!);

        Assert.Equal(("727", "WC-727", "EUR", "woocommerce"), (order.OrderId, order.DisplayName, order.Currency, order.Source));
        Assert.Equal(new DateTimeOffset(2025, 3, 15, 10, 35, 0, TimeSpan.Zero), order.OrderDate);
        Assert.Equal(new DateTimeOffset(2025, 3, 15, 10, 30, 0, TimeSpan.Zero), unpaid.OrderDate);
        Assert.Equal(new DateTimeOffset(2025, 3, 16, 8, 0, 5, TimeSpan.Zero), order.SourceUpdatedAt);
        Assert.Equal(["T-1", "Cake"], order.LineItems.Select(l => l.ProductName));
    }

    [Fact]
    public void An_unparsable_date_refuses_the_order_with_the_text_found()
    {
        var result = OrderNormalizer.Normalize(WooCommerceOrderMapper.ToDraft(Parse(TwoLines) with { DatePaidGmt = "soon" }, [], new WooCommerceMapping())!);

        Assert.Contains("'soon'", result.RefusalReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ship Your Idea &ndash; Color: Black", "Ship Your Idea \u2013 Color: Black")]
    [InlineData("Tea &amp; Biscuits", "Tea & Biscuits")]
    [InlineData("Tea &#038; Biscuits", "Tea & Biscuits")]
    [InlineData("Nan&#8217;s Jam", "Nan\u2019s Jam")]
    [InlineData("Nan&#x2019;s Jam", "Nan\u2019s Jam")]
    public void Entities_in_names_are_decoded(string stored, string expected)
    {
        var order = Parse(TwoLines) with { LineItems = [new WooLineItem { Id = 1, Name = stored, Quantity = 1, Total = "2.00" }] };

        Assert.Equal(expected, Normalize(WooCommerceOrderMapper.ToDraft(order, [], new WooCommerceMapping())!).LineItems.Single().ProductName);
    }

    [Fact]
    public void A_name_without_an_ampersand_is_returned_as_is_without_a_copy()
    {
        const string plain = "Woo Single #1";

        Assert.Same(plain, HtmlEntities.Decode(plain));
    }

    private static WooOrder Parse(string json) => WooCommerceOrderMapper.ParseOrder(json)!;

    private static Order Normalize(OrderDraft draft)
    {
        var result = OrderNormalizer.Normalize(draft);
        Assert.Null(result.RefusalReason);
        return result.Order!;
    }

    private static WooRefund Refund(WooRefundLineItem line) => new() { Id = 900, LineItems = [line] };

    private static WooMetaData ItemRef(string id) =>
        new() { Key = "_refunded_item_id", Value = System.Text.Json.JsonDocument.Parse($"\"{id}\"").RootElement.Clone() };
}
