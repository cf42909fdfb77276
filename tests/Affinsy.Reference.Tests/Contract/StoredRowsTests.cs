using System.Net;
using System.Text.Json;
using Affinsy.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Affinsy.Reference.Tests.Contract;

/// <summary>The reference-only rows endpoint, and a version 1 database (text keys) read after the migration to version 2.</summary>
public sealed class StoredRowsTests : ServerTestBase
{
    [Fact]
    public async Task Rows_page_by_cursor_through_every_stored_row_exactly_once()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        await api.PushAsync("s", Orders.Many(25, linesEach: 2));
        await api.PushAsync("s", Orders.Array(Orders.One("o1", "alice", "2025-03-01T10:00:00Z", ("Tea", 2.5, 3))));

        var rows = await ReadAllAsync(api, "s", limit: 7);

        Assert.Equal(51, rows.Count);
        Assert.Equal(51, rows.Select(r => (r.GetProperty("order_id").GetString(), r.GetProperty("product_name").GetString())).Distinct().Count());
        var updated = Assert.Single(rows, r => r.GetProperty("order_id").GetString() == "o1" && r.GetProperty("product_name").GetString() == "Tea");
        Assert.Equal((2.5, 3.0, "alice", "2025-03-01T10:00:00Z"), (updated.GetProperty("unit_price").GetDouble(), updated.GetProperty("quantity").GetDouble(), updated.GetProperty("customer_id").GetString(), updated.GetProperty("order_date").GetString()));
    }

    [Fact]
    public async Task Rows_of_an_unknown_dataset_are_404_and_a_bad_cursor_or_limit_400()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server);
        await api.PushAsync("s", Orders.Many(2));

        Assert.Equal(HttpStatusCode.NotFound, (await api.Get("datasets/other/rows")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Get("datasets/s/rows?cursor=not-a-cursor")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Get("datasets/s/rows?limit=0")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Get("datasets/s/rows?limit=10001")).Status);
    }

    [Fact]
    public async Task A_version_1_database_is_migrated_and_reads_and_reports_the_same()
    {
        using var dir = new TempDirectory();
        CreateVersion1(dir.File("reference.db"));
        var server = await StartAsync(dataDir: dir.Path);
        using var api = new ApiCall(server);

        var rows = await ReadAllAsync(api, "shop", limit: 100);
        Assert.Equal(["1|Cup|alice", "1|Tea|alice", "2|Tea|bob", "3|Tea|"], rows.Select(r => $"{r.GetProperty("order_id").GetString()}|{r.GetProperty("product_name").GetString()}|{r.GetProperty("customer_id").GetString()}").Order(StringComparer.Ordinal));
        var stats = (await api.Get("datasets/shop")).Json;
        Assert.Equal((3, 4, 2), (stats.GetProperty("orders").GetInt32(), stats.GetProperty("line_items").GetInt32(), stats.GetProperty("customers").GetInt32()));

        // The migrated dataset takes upserts on its old rows.
        var push = (await api.PushAsync("shop", Orders.Array(Orders.One("1", "alice", "2025-01-10T09:00:00Z", ("Tea", 3, 5))))).Json;
        Assert.Equal((0, 1), (push.GetProperty("inserted").GetInt32(), push.GetProperty("updated").GetInt32()));
    }

    private static async Task<List<JsonElement>> ReadAllAsync(ApiCall api, string dataset, int limit)
    {
        var rows = new List<JsonElement>();
        string? cursor = "";
        var pages = 0;
        while (cursor is not null)
        {
            var page = await api.Get($"datasets/{dataset}/rows?limit={limit}&cursor={cursor}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            rows.AddRange(page.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement));
            cursor = page.Header("X-Next-Cursor");
            Assert.True(++pages < 100, "the cursor must advance");
        }

        return rows;
    }

    /// <summary>The version 1 schema as the reference server wrote it before integer keys (datasets + text-keyed order_rows).</summary>
    private static void CreateVersion1(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE datasets (dataset_key INTEGER PRIMARY KEY, owner TEXT NOT NULL, dataset_id TEXT NOT NULL,
                line_items INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (owner, dataset_id));
            CREATE TABLE order_rows (dataset_key INTEGER NOT NULL, order_id TEXT NOT NULL, product_name TEXT NOT NULL,
                unit_price REAL NOT NULL, quantity REAL NOT NULL, customer_id TEXT, order_date INTEGER, created_by INTEGER NOT NULL,
                PRIMARY KEY (dataset_key, order_id, product_name)) WITHOUT ROWID;
            INSERT INTO datasets VALUES (1, 'local', 'shop', 4, 0, 0);
            INSERT INTO order_rows VALUES (1, '1', 'Tea', 3, 1, 'alice', 1736499600000, 1), (1, '1', 'Cup', 2, 2, 'alice', 1736499600000, 1),
                (1, '2', 'Tea', 3, 1, 'bob', 1738400400000, 1), (1, '3', 'Tea', 3, 1, NULL, NULL, 1);
            """;
        create.ExecuteNonQuery();
    }
}
