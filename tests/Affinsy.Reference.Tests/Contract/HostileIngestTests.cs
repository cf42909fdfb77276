using System.Net;
using System.Text;
using Affinsy.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Affinsy.Reference.Tests.Contract;

/// <summary>
/// Bodies a real client can send by mistake (bad bytes, lone surrogates, repeated keys, absurd amounts): each is a
/// 400 naming the field, never a 500 that a client would retry forever, and nothing of the request is stored.
/// </summary>
public sealed class HostileIngestTests : ServerTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string> Bodies() => new()
    {
        // A lone high surrogate escape: valid JSON syntax (RFC 8259 allows any \uXXXX), not valid Unicode.
        { Body("""{"order_id":"\ud800","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}"""), "orders[0].order_id" },
        { Body("""{"order_id":"1","line_items":[{"product_name":"T\udc00ea","unit_price":1,"quantity":1}]}"""), "orders[0].line_items[0].product_name" },
        { Body("""{"order_id":"1","order_id":"2","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1}]}"""), "orders[0].order_id" },
        { Body("""{"order_id":"1","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1,"quantity":5}]}"""), "orders[0].line_items[0].quantity" },
        { Body("""{"order_id":"1","line_items":[{"product_name":"Tea","unit_price":1e15,"quantity":1e15}]}"""), "orders[0].line_items[0].quantity" },
        { Body("""{"order_id":"1","line_items":[{"product_name":"Tea","unit_price":9e14,"quantity":9e14}]}"""), "orders[0].line_items[0].quantity" },
        { Body("""{"order_id":"1","line_items":[{"product_name":"Tea","unit_price":1e16,"quantity":1}]}"""), "orders[0].line_items[0].unit_price" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_hostile_field_is_400_naming_it_and_nothing_is_stored(string body, string path)
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);

        var answer = await api.Post("data/orders", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(path, answer.Json.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("path").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("datasets/s")).Status);
    }

    [Theory]
    [InlineData("product_name", "orders[0].line_items[0].product_name")]
    [InlineData("customer_id", "orders[0].customer_id")]
    public async Task Invalid_utf8_bytes_in_a_value_are_400_naming_the_field(string field, string path)
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        // 0xE9 is 'é' in Latin-1 / Windows-1252: what an export in the wrong encoding sends.
        var customer = field == "customer_id" ? "\"customer_id\":\"Ren\u00e9\"," : string.Empty;
        var product = field == "product_name" ? "Caf\u00e9" : "Tea";
        var text = Body($$"""{"order_id":"1",{{customer}}"line_items":[{"product_name":"{{product}}","unit_price":1,"quantity":1}]}""");

        var answer = await api.PostBytes("data/orders", Encoding.Latin1.GetBytes(text));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var detail = Assert.Single(answer.Json.GetProperty("details").EnumerateArray());
        Assert.Equal(path, detail.GetProperty("path").GetString());
        Assert.Contains("not UTF-8", detail.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_utf8_field_name_is_400_naming_its_object()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        var text = Body("""{"order_id":"1","line_items":[{"product_name":"Tea","unit_price":1,"quantity":1,"PRX":2}]}""").Replace("PRX", "pr\u00efx", StringComparison.Ordinal);

        var answer = await api.PostBytes("data/orders", Encoding.Latin1.GetBytes(text));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("orders[0].line_items[0]", Assert.Single(answer.Json.GetProperty("details").EnumerateArray()).GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_report_over_an_old_row_too_large_to_total_fails_with_a_reason_and_other_datasets_complete()
    {
        using var dir = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync(TestContext.Current.CancellationToken);
        var orders = Orders.Array(
            Orders.One("1", "alice", "2025-01-10T09:00:00Z", ("Tea", 3, 1), ("Cup", 2, 2)),
            Orders.One("2", "bob", "2025-02-01T09:00:00Z", ("Tea", 3, 1), ("Cup", 2, 1)));
        await using (var first = await StartAsync(dataDir: dir.Path))
        {
            using var push = new ApiCall(first);
            Assert.Equal(HttpStatusCode.OK, (await push.PushAsync("big", orders)).Status);
            Assert.Equal(HttpStatusCode.OK, (await push.PushAsync("fine", orders)).Status);
        }

        // The old row sits in a version 2 file (no order_facts): the server builds the orders' facts at open.
        InsertOldRow(dir.File("reference.db"), "big", "3", "carol", 1e15, 1e15);
        var server = await StartAsync(dataDir: dir.Path);
        using var api = new ApiCall(server);

        string[] requests = ["big|standard_rfm", "big|high_value_baskets", "big|standard_mba", "fine|standard_rfm"];
        var ids = new List<string>();
        foreach (var request in requests)
        {
            var (dataset, template) = (request.Split('|')[0], request.Split('|')[1]);
            var started = await api.Post("reports", $$"""{"dataset_id":"{{dataset}}","template":"{{template}}","webhook_url":"{{receiver.Url}}"}""");
            ids.Add(started.Json.GetProperty("report_id").GetString()!);
        }

        await receiver.WhenReceivedAsync(requests.Length).WaitAsync(Patience, TestContext.Current.CancellationToken);
        var reports = new List<System.Text.Json.JsonElement>();
        foreach (var id in ids)
        {
            reports.Add((await api.Get($"reports/{id}")).Json);
        }

        Assert.Equal(["Failed", "Failed", "Completed", "Completed"], reports.Select(r => r.GetProperty("status").GetString()));
        foreach (var failed in reports.Take(2))
        {
            var error = failed.GetProperty("error").GetString()!;
            Assert.Contains("Order '3'", error, StringComparison.Ordinal);
            Assert.Contains("too large to total", error, StringComparison.Ordinal);
        }
    }

    /// <summary>A row stored before ingest refused such amounts, written straight into the server's SQLite file.</summary>
    private static void InsertOldRow(string database, string dataset, string orderId, string customer, double price, double quantity)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var insert = connection.CreateCommand();
        // Integer keys first (schema version 2 and later), then the row; the file is then marked version 2, without order_facts.
        insert.CommandText = """
            INSERT INTO orders (dataset_key, order_id) SELECT dataset_key, $order FROM datasets WHERE dataset_id = $dataset;
            INSERT OR IGNORE INTO products (dataset_key, name) SELECT dataset_key, 'Gold bar' FROM datasets WHERE dataset_id = $dataset;
            INSERT OR IGNORE INTO customers (dataset_key, customer_id) SELECT dataset_key, $customer FROM datasets WHERE dataset_id = $dataset;
            INSERT INTO line_items (dataset_key, order_key, product_key, unit_price, quantity, customer_key, order_date, created_by)
            SELECT d.dataset_key, o.order_key, p.product_key, $price, $quantity, c.customer_key, 1736500000000, 0
            FROM datasets d
            JOIN orders o ON o.dataset_key = d.dataset_key AND o.order_id = $order
            JOIN products p ON p.dataset_key = d.dataset_key AND p.name = 'Gold bar'
            JOIN customers c ON c.dataset_key = d.dataset_key AND c.customer_id = $customer
            WHERE d.dataset_id = $dataset
            """;
        insert.Parameters.AddWithValue("$order", orderId);
        insert.Parameters.AddWithValue("$price", price);
        insert.Parameters.AddWithValue("$quantity", quantity);
        insert.Parameters.AddWithValue("$customer", customer);
        insert.Parameters.AddWithValue("$dataset", dataset);
        Assert.True(insert.ExecuteNonQuery() >= 3);
        using var downgrade = connection.CreateCommand();
        downgrade.CommandText = "DROP TABLE order_facts; PRAGMA user_version = 2;";
        downgrade.ExecuteNonQuery();
    }

    private static string Body(string order) => $$"""{"dataset_id":"s","orders":[{{order}}]}""";
}
