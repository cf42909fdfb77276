using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Jsonl;
using Affinsy.Core.Sources.Messages;

namespace Affinsy.Core.Tests.Sources;

/// <summary>
/// The JSON Lines order line as Core's message format, bound from a <c>source:</c> section as a source plugin binds it:
/// the same line means the same order for the <c>jsonl</c> file source and <c>http-jsonl</c>, which both read it here.
/// </summary>
public sealed class JsonlLineFormatTests
{
    [Fact]
    public void A_line_is_read_by_the_names_fields_maps_with_ids_and_amounts_as_numbers_or_strings()
    {
        var decoder = Bind("fields: { order_id: id, unit_price: price }");

        var decoded = decoder.Decode("""{"id": 7, "customer_id": "c-1", "order_date": "2026-01-10T10:00:00+02:00", "line_items": [{"product_name": " Tea ", "price": "2.50", "quantity": 2}]}"""u8);

        var order = OrderNormalizer.Normalize(Assert.IsType<OrderDraft>(decoded.Draft)).Order;
        Assert.NotNull(order);
        Assert.Equal("7", order.OrderId);
        Assert.Equal("c-1", order.CustomerId);
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero), order.OrderDate);
        Assert.Equal(new[] { new LineItem("Tea", 2.50m, 2m) }, order.LineItems);
        Assert.Equal("jsonl", order.Source);
    }

    [Fact]
    public void With_strict_an_unknown_field_refuses_the_line_naming_the_field_and_keeping_the_order_id()
    {
        var decoder = Bind("strict: true");

        var decoded = decoder.Decode("""{"order_id": "A-1", "note": "gift", "line_items": [{"product_name": "Tea", "unit_price": 2, "quantity": 1}]}"""u8);

        Assert.Null(decoded.Draft);
        Assert.Contains("unknown field 'note' (strict: true)", decoded.Problem, StringComparison.Ordinal);
        Assert.Equal("A-1", decoded.OrderId);
    }

    [Fact]
    public void A_missing_required_field_is_never_defaulted_and_a_look_alike_name_is_suggested()
    {
        var decoder = Bind("strict: false");

        var decoded = decoder.Decode("""{"order_id": "A-2", "line_items": [{"product_name": "Tea", "price": 2, "quantity": 1}]}"""u8);

        Assert.Null(decoded.Draft);
        Assert.Contains("line_items[0]: no 'unit_price', but there is 'price'", decoded.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_under_fields_is_a_configuration_problem()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("fields: { order_number: id }"));

        Assert.Contains("order_number", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The format bound from a source section of type <c>lines</c> holding <paramref name="keys"/>.</summary>
    private static IOrderMessageDecoder Bind(string keys)
    {
        IOrderMessageDecoder? decoder = null;
        var registry = new SourceRegistry().Add("lines", section =>
        {
            section.RejectUnknownKeys(["type", .. JsonlLineFormat.Format.Keys]);
            decoder = JsonlLineFormat.Format.Bind(section);
            return _ => throw new InvalidOperationException("not created in this test");
        });
        var yaml = $"pipelines:\n  - name: feed\n    dataset_id: feed\n    source:\n      type: lines\n      {keys}\n";
        ConnectorsConfigLoader.Parse(yaml, "test.yaml", Directory.GetCurrentDirectory(), registry, _ => null);
        return decoder ?? throw new InvalidOperationException("the plugin was not bound");
    }
}
