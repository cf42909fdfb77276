using Affinsy.Connectors.Files.Jsonl;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Files.Tests;

/// <summary>Missing, misspelled, unknown and mapped JSON Lines fields (issue 15).</summary>
public sealed class JsonlFieldTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_line_item_with_price_instead_of_unit_price_is_refused_with_a_suggestion_never_stored_at_zero()
    {
        var batch = await ReadAsync(
            """{"order_id":"A","line_items":[{"product_name":"Tea","price":2.5,"quantity":1}]}""",
            """{"order_id":"B","line_items":[{"product_name":"Tea","unit_price":2.5,"quantity":1}]}""");

        Assert.Equal("B", Assert.Single(batch.Orders).OrderId);
        var refusal = Assert.Single(batch.Refusals);
        Assert.Equal(("o.jsonl:1", "A"), (CsvOrderSourceTests.At(refusal), refusal.OrderId));
        Assert.Contains("line_items[0]: no 'unit_price', but there is 'price'", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("source.fields: { unit_price: price }", refusal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1}]}""", "line_items[0]: no 'quantity': it is required")]
    [InlineData("""{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"qty":2}]}""", "no 'quantity', but there is 'qty'")]
    [InlineData("""{"order_id":"A","line_items":[{"name":"Tea","unit_price":1,"quantity":2}]}""", "no 'product_name', but there is 'name'")]
    [InlineData("""{"order_id":"A","items":[{"product_name":"Tea","unit_price":1,"quantity":2}]}""", "no 'line_items', but there is 'items'")]
    [InlineData("""{"id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":2}]}""", "no 'order_id', but there is 'id'")]
    [InlineData("""{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":"abc","quantity":2}]}""", "'unit_price' is 'abc', not a number")]
    [InlineData("""{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":2,"quantity":3}]}""", "'quantity' appears twice")]
    [InlineData("""{"order_id":"A","line_items":{"product_name":"Tea"}}""", "'line_items' must be an array")]
    [InlineData("""{"order_id":"A","line_items":[]}""", "no line items in order 'A'")]
    [InlineData("""{"order_id":"A","line_items":[{"product_name":"Tea","unit_price":1,"quantity":2}]} {}""", "not valid JSON")]
    public async Task A_missing_or_unreadable_field_refuses_the_line_naming_it(string line, string reason)
    {
        var batch = await ReadAsync(line);

        Assert.Empty(batch.Orders);
        Assert.Contains(reason, Assert.Single(batch.Refusals).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_unless_strict()
    {
        const string Line = """{"order_id":"A","channel":{"name":"web"},"line_items":[{"product_name":"Tea","unit_price":1,"quantity":2,"sku":"T-1"}]}""";

        var relaxed = await ReadAsync(Line);
        var strict = await ReadAsync(new JsonlSourceOptions { Path = _files.Write("s.jsonl", Line + "\n"), Strict = true });

        Assert.Equal(new LineItem("Tea", 1m, 2m), Assert.Single(Assert.Single(relaxed.Orders).LineItems));
        Assert.Contains("unknown field 'channel' (strict: true)", Assert.Single(strict.Refusals).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_from_yaml_map_an_exports_own_names()
    {
        _files.Write("shop.jsonl", """{"id":7,"buyer":"c1","created":"2025-03-15T10:30:00Z","items":[{"title":"Tea","price":"2.5","qty":2}]}""" + "\n");
        var config = ConnectorsConfigLoader.Parse(
            """
            pipelines:
              - name: shop
                dataset_id: shop
                source:
                  type: jsonl
                  path: shop.jsonl
                  fields: { order_id: id, customer_id: buyer, order_date: created, line_items: items, product_name: title, unit_price: price, quantity: qty }
            """,
            "test.yaml",
            _files.Directory,
            new SourceRegistry().AddFileSources(),
            _ => null);

        var batch = Assert.Single(await TempFiles.ReadAllAsync(config.Pipelines[0].CreateSource(TimeProvider.System, NullLoggerFactory.Instance)));

        var order = Assert.Single(batch.Orders);
        Assert.Equal(("7", "c1", new DateTimeOffset(2025, 3, 15, 10, 30, 0, TimeSpan.Zero)), (order.OrderId, order.CustomerId, order.OrderDate!.Value));
        Assert.Equal(new LineItem("Tea", 2.5m, 2m), Assert.Single(order.LineItems));
    }

    [Fact]
    public void A_misspelled_fields_key_is_a_validation_problem()
    {
        _files.Write("shop.jsonl", "\n");

        var e = Assert.Throws<ConfigurationException>(() => ConnectorsConfigLoader.Parse(
            """
            pipelines:
              - name: shop
                dataset_id: shop
                source: { type: jsonl, path: shop.jsonl, fields: { unitprice: price } }
            """,
            "test.yaml",
            _files.Directory,
            new SourceRegistry().AddFileSources(),
            _ => null));

        Assert.Contains("did you mean 'unit_price'?", e.Message, StringComparison.Ordinal);
    }

    private Task<NormalizedBatch> ReadAsync(params string[] lines) =>
        ReadAsync(new JsonlSourceOptions { Path = _files.Write("o.jsonl", string.Concat(lines.Select(l => l + "\n"))) });

    private static async Task<NormalizedBatch> ReadAsync(JsonlSourceOptions options) =>
        Assert.Single(await TempFiles.ReadAllAsync(new JsonlOrderSource(options)));
}
