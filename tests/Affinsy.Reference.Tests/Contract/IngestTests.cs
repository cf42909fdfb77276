using System.Net;
using System.Text.Json;
using Affinsy.Testing;
using Xunit;

namespace Affinsy.Reference.Tests.Contract;

public sealed class IngestTests : ServerTestBase
{
    [Fact]
    public async Task A_push_answers_the_contract_body_and_a_resend_changes_nothing()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        var orders = Orders.Array(
            Orders.One("1001", "c1", "2025-03-15T10:30:00Z", ("Tea", 2.5, 2), ("Cup", 4, 1)),
            Orders.One("1002", ("Tea", 2.5, 1), ("Pot", 20, 1), ("Cup", 4, 2)));

        var first = await api.PushAsync("my-store", orders);
        var before = (await api.Get("datasets/my-store")).Json;
        var again = await api.PushAsync("my-store", orders);
        var after = (await api.Get("datasets/my-store")).Json;

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var body = first.Json;
        Assert.StartsWith("imp_", body.GetProperty("import_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("my-store", body.GetProperty("dataset_id").GetString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("orders_received").GetInt32());
        Assert.Equal(5, body.GetProperty("line_items_received").GetInt32());
        Assert.Equal(5, body.GetProperty("inserted").GetInt32());
        Assert.Equal(0, body.GetProperty("updated").GetInt32());
        Assert.Equal(0, body.GetProperty("rejected").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("warning").ValueKind);
        Assert.Equal(0, again.Json.GetProperty("inserted").GetInt32());
        Assert.Equal(5, again.Json.GetProperty("updated").GetInt32());
        Assert.Equal(before.GetProperty("line_items").GetInt64(), after.GetProperty("line_items").GetInt64());
        Assert.Equal(2, after.GetProperty("orders").GetInt64());
        Assert.Equal(1, after.GetProperty("customers").GetInt64());
        Assert.Equal("2025-03-15T10:30:00Z", after.GetProperty("first_order_date").GetString());
    }

    [Fact]
    public async Task An_update_changes_price_quantity_customer_and_date_of_the_stored_row()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        await api.PushAsync("s", Orders.Array(Orders.One("1", "c1", "2025-01-01T00:00:00Z", ("Tea", 1, 1))));

        var update = await api.PushAsync("s", Orders.Array(Orders.One("1", "c2", "2025-02-01T00:00:00Z", ("Tea", 3, 7))));

        Assert.Equal(1, update.Json.GetProperty("updated").GetInt32());
        var row = Assert.Single(server.Store.LoadLines("local", "s"));
        Assert.Equal(("c2", 3.0, 7.0, new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero)), (row.CustomerId, row.UnitPrice, row.Quantity, row.OrderDate!.Value));
    }

    [Fact]
    public async Task A_repeated_product_within_one_request_keeps_the_last_one()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);

        var answer = await api.PushAsync("s", Orders.Array(Orders.One("1", ("Tea", 1, 2), ("Tea", 1, 3))));

        Assert.Equal(2, answer.Json.GetProperty("line_items_received").GetInt32());
        Assert.Equal(1, answer.Json.GetProperty("inserted").GetInt32());
        Assert.Equal(3.0, Assert.Single(server.Store.LoadLines("local", "s")).Quantity);
    }

    [Fact]
    public async Task A_request_mixing_new_and_stored_rows_counts_each_and_updates_only_the_stored_ones()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        await api.PushAsync("s", Orders.Array(Orders.One("2", ("Tea", 1, 1)), Orders.One("10", ("Cup", 4, 1))));

        // Out of key order on purpose ("10" < "2" < "3"): the store writes in key order, the answer must not care.
        var answer = await api.PushAsync("s", Orders.Array(
            Orders.One("3", ("Pot", 20, 1)),
            Orders.One("2", ("Tea", 1, 5), ("Cup", 4, 2)),
            Orders.One("10", ("Cup", 4, 9))));

        Assert.Equal((2, 2), (answer.Json.GetProperty("inserted").GetInt32(), answer.Json.GetProperty("updated").GetInt32()));
        var rows = new List<(string, string, double)>();
        var visited = server.Store.ForEachLine("local", "s", l => rows.Add((l.OrderId, l.ProductName, l.Quantity)));
        Assert.Equal(4, visited);
        var expected = new (string, string, double)[] { ("10", "Cup", 9.0), ("2", "Cup", 2.0), ("2", "Tea", 5.0), ("3", "Pot", 1.0) };
        Assert.Equal(expected, rows.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal));
    }

    [Fact]
    public async Task More_than_the_line_item_limit_is_413_and_nothing_is_stored()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);

        var atLimit = await api.PushAsync("s", Orders.Many(1000, "a", linesEach: 10));
        var over = await api.PushAsync("t", Orders.Many(10001, "b"));

        Assert.Equal(HttpStatusCode.OK, atLimit.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.Status);
        Assert.Equal("Too many line items: 10001 (max 10000).", over.Json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("datasets/t")).Status);
    }

    [Fact]
    public async Task An_invalid_field_is_400_with_paths_and_nothing_of_the_request_is_stored()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        var orders = Orders.Array(
            Orders.One("ok-1", ("Tea", 1, 1)),
            Orders.One("bad", ("Tea", -1, 1)),
            Orders.One("ok-2", ("Cup", 1, 1), ("Pot", 1, 0)));

        var answer = await api.PushAsync("s", orders);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var details = answer.Json.GetProperty("details").EnumerateArray()
            .Select(d => (d.GetProperty("path").GetString(), d.GetProperty("message").GetString())).ToList();
        Assert.Equal(
            [("orders[1].line_items[0].unit_price", "must be greater than or equal to 0"), ("orders[2].line_items[1].quantity", "must be greater than 0")],
            details);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("datasets/s")).Status);
    }

    [Theory]
    [InlineData("""{"dataset_id":"s","orders":[{"order_id":"1","line_items":[{"product_name":"a","unit_price":"1","quantity":1}]}]}""", "orders[0].line_items[0].unit_price", "must be a number")]
    [InlineData("""{"dataset_id":"s","orders":[{"order_id":1,"line_items":[{"product_name":"a","unit_price":1,"quantity":1}]}]}""", "orders[0].order_id", "must be a string of 1-256 characters")]
    [InlineData("""{"dataset_id":"s","orders":[{"order_id":"1","line_items":[]}]}""", "orders[0].line_items", "must contain at least one line item")]
    [InlineData("""{"dataset_id":"s","orders":[{"order_id":"1","order_date":"yesterday","line_items":[{"product_name":"a","unit_price":1,"quantity":1}]}]}""", "orders[0].order_date", "must be an ISO 8601 date-time such as 2025-03-15T10:30:00Z (or null)")]
    [InlineData("""{"dataset_id":"no spaces","orders":[{"order_id":"1","line_items":[{"product_name":"a","unit_price":1,"quantity":1}]}]}""", "dataset_id", "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'")]
    [InlineData("""{"dataset_id":"s","orders":[{"order_id":"1","currency":"EUR","line_items":[{"product_name":"a","unit_price":1,"quantity":1}]}]}""", "orders[0].currency", "unknown field")]
    [InlineData("""{"dataset_id":"s"}""", "orders", "is required")]
    public async Task Wrong_types_and_unknown_fields_name_their_path(string body, string path, string message)
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);

        var answer = await api.Post("data/orders", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var detail = Assert.Single(answer.Json.GetProperty("details").EnumerateArray());
        Assert.Equal(path, detail.GetProperty("path").GetString());
        Assert.Equal(message, detail.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"dataset_id\":\"s\",\"orders\":[")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public async Task Malformed_json_is_400_in_the_error_shape(string body)
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);

        var answer = await api.Post("data/orders", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task At_the_plan_cap_new_rows_are_rejected_with_a_warning_and_updates_still_apply()
    {
        var server = await StartAsync(Users("""
            users: [{ id: m, plan: max, keys: [afn_m] }]
            plan_caps: { max: 3 }
            """));
        using var api = new ApiCall(server, "afn_m");
        await api.PushAsync("a", Orders.Array(Orders.One("1", ("Tea", 1, 1), ("Cup", 1, 1))));

        var answer = await api.PushAsync("b", Orders.Array(Orders.One("2", ("Tea", 1, 1), ("Cup", 1, 1)), Orders.One("1", ("Tea", 5, 5))));
        var update = await api.PushAsync("a", Orders.Array(Orders.One("1", ("Cup", 9, 9))));

        var body = answer.Json;
        Assert.Equal(1, body.GetProperty("inserted").GetInt32());
        Assert.Equal(0, body.GetProperty("updated").GetInt32());
        Assert.Equal(2, body.GetProperty("rejected").GetInt32());
        Assert.Contains("at most 3 line-item rows", body.GetProperty("warning").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, update.Json.GetProperty("updated").GetInt32());
        Assert.Equal(0, update.Json.GetProperty("rejected").GetInt32());
        Assert.Equal(9.0, server.Store.LoadLines("m", "a").Single(l => l.ProductName == "Cup").Quantity);
    }

    [Fact]
    public async Task A_third_request_in_flight_for_a_key_is_504_with_a_request_id_and_is_still_imported()
    {
        var server = await StartAsync(Users("""
            users: [{ id: u, plan: max, keys: [afn_u] }]
            limits: { ingest_delay_ms_per_1000_line_items: 1000 }
            """), fakeClock: true);
        using var api = new ApiCall(server, "afn_u");

        var pushes = Enumerable.Range(0, 3).Select(i => api.PushAsync("s", Orders.Many(1000, $"r{i}-"))).ToList();
        await server.IngestsDelaying.WhenAtLeastAsync(3).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var answers = await Task.WhenAll(pushes);

        Assert.Equal(2, answers.Count(a => a.Status == HttpStatusCode.OK));
        var refused = Assert.Single(answers, a => a.Status == HttpStatusCode.GatewayTimeout);
        Assert.True(Guid.TryParse(refused.Json.GetProperty("request_id").GetString(), out _));
        Assert.Equal(3000, server.Store.LoadLines("u", "s").Count);
    }

    [Fact]
    public async Task Injected_errors_answer_5xx_with_a_request_id_before_storing_anything()
    {
        var server = await StartAsync(Users("""
            users: [{ id: u, plan: max, keys: [afn_u] }]
            faults: { error_rate: 1.0, seed: 7 }
            """));
        using var api = new ApiCall(server, "afn_u");

        var answer = await api.PushAsync("s", Orders.Many(3));

        Assert.Contains(answer.Code, new[] { 500, 503 });
        Assert.True(Guid.TryParse(answer.Json.GetProperty("request_id").GetString(), out _));
        Assert.Empty(server.Store.LoadLines("u", "s"));
    }

    [Fact]
    public async Task Injected_timeouts_answer_504_after_applying_the_import()
    {
        var server = await StartAsync(Users("""
            users: [{ id: u, plan: max, keys: [afn_u] }]
            faults: { timeout_rate: 1.0 }
            """));
        using var api = new ApiCall(server, "afn_u");

        var answer = await api.PushAsync("s", Orders.Many(3));

        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
        Assert.True(Guid.TryParse(answer.Json.GetProperty("request_id").GetString(), out _));
        Assert.Equal(3, server.Store.LoadLines("u", "s").Count);
    }

    [Fact]
    public async Task A_dataset_is_scoped_to_its_user()
    {
        var server = await StartAsync(Users("""
            users:
              - { id: a, plan: max, keys: [afn_a] }
              - { id: b, plan: max, keys: [afn_b] }
            """));
        using var api = new ApiCall(server, "afn_a");
        var pushA = await api.PushAsync("shared-name", Orders.Many(2));
        var importId = pushA.Json.GetProperty("import_id").GetString();

        var bSees = await api.Get("datasets/shared-name", asKey: "afn_b");
        var bList = await api.Get("datasets", asKey: "afn_b");
        var bImport = await api.Get($"data/imports/{importId}", asKey: "afn_b");
        var bDelete = await api.SendAsync(HttpMethod.Delete, "datasets/shared-name", asKey: "afn_b");
        await api.PushAsync("shared-name", Orders.Many(5, "b"), asKey: "afn_b");
        var aAfter = await api.Get("datasets/shared-name");

        Assert.Equal(HttpStatusCode.NotFound, bSees.Status);
        Assert.Empty(bList.Json.GetProperty("datasets").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, bImport.Status);
        Assert.Equal(HttpStatusCode.NotFound, bDelete.Status);
        Assert.Equal(2, aAfter.Json.GetProperty("line_items").GetInt64());
    }

    [Fact]
    public async Task Imports_can_be_read_back_and_datasets_deleted()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        var push = await api.PushAsync("s", Orders.Many(4));
        var id = push.Json.GetProperty("import_id").GetString();

        var import = await api.Get($"data/imports/{id}");
        var delete = await api.SendAsync(HttpMethod.Delete, "datasets/s");
        var gone = await api.Get("datasets/s");

        Assert.Equal(HttpStatusCode.OK, import.Status);
        Assert.Equal(4, import.Json.GetProperty("inserted").GetInt32());
        Assert.Equal("completed", import.Json.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task Data_survives_a_restart_on_the_same_data_directory()
    {
        using var dir = new TempDirectory();
        var first = await StartAsync(dataDir: dir.Path);
        using (var api = new ApiCall(first))
        {
            await api.PushAsync("s", Orders.Many(7));
        }

        await first.DisposeAsync();
        var second = await StartAsync(dataDir: dir.Path);
        using var again = new ApiCall(second);

        var dataset = await again.Get("datasets/s");

        Assert.Equal(7, dataset.Json.GetProperty("line_items").GetInt64());
    }
}
