using Affinsy.Emulators.Shopify;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>check</c> through the real executable, against a reference server and the Shopify emulator (built from
/// Shopify's published answers): green when everything is reachable, and one red line that says what to fix for
/// a wrong token, an unknown host, a plan without API access, a wrong key and a missing file.
/// </summary>
public sealed class CheckTests : SyncFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Everything_reachable_passes_with_the_dataset_and_first_page_described()
    {
        await StartServerAsync();
        await using var shop = await ShopifyEmulator.StartAsync(new ShopifyEmulatorOptions { Orders = 5, Throttle = false }, TimeProvider.System, Ct);
        await File.WriteAllTextAsync(Path.Combine(WorkDir, "orders.csv"), "order_id,product_name,unit_price,quantity\no1,Tea,2.5,1\n", Ct);
        WriteConfig(Pipelines(shop, "shpat_emulator"));

        var table = await CheckAsync();
        var check = await CheckAsync("--json");

        Assert.True(table.ExitCode == 0, table.Stdout + table.Stderr);
        Assert.Contains("All checks passed.", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("shop does not exist yet; the first sync creates it", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("read 1 orders", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("rate limit", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Server.Gate.IngestsAdmitted.Value); // a check sends nothing
    }

    [Fact]
    public async Task A_wrong_shopify_token_fails_its_line_with_what_to_do_and_never_prints_the_token()
    {
        await StartServerAsync();
        await using var shop = await ShopifyEmulator.StartAsync(new ShopifyEmulatorOptions { Orders = 5, Throttle = false }, TimeProvider.System, Ct);
        await File.WriteAllTextAsync(Path.Combine(WorkDir, "orders.csv"), "order_id,product_name,unit_price,quantity\no1,Tea,2.5,1\n", Ct);
        WriteConfig(Pipelines(shop, "shpat_wrong_token"));

        var check = await CheckAsync("--json");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("Shopify refused the access token", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"passed\": true", check.Stdout, StringComparison.Ordinal); // Affinsy and the dataset still pass
        Assert.DoesNotContain("shpat_wrong_token", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_fails_fast_naming_the_host()
    {
        await StartServerAsync();
        // The .invalid top-level domain never resolves (RFC 2606); the shop name itself must be a myshopify domain.
        WriteConfig("""{ type: shopify, shop: no-such-store.myshopify.com, access_token: shpat_x, base_url: "http://no-such-store.invalid", mode: graphql }""");

        var check = await CheckAsync("--json");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("Cannot resolve no-such-store.invalid: check `shop`", check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_without_api_access_fails_the_affinsy_line_with_the_plan_to_choose()
    {
        await StartServerAsync(plan: "pro");
        await File.WriteAllTextAsync(Path.Combine(WorkDir, "orders.csv"), "order_id,product_name,unit_price,quantity\no1,Tea,2.5,1\n", Ct);
        WriteConfig("{ type: csv, path: orders.csv }");

        var check = await CheckAsync("--json");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("403", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("Max plan", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_fails_the_affinsy_line_and_never_prints_the_key()
    {
        await StartServerAsync();
        await File.WriteAllTextAsync(Path.Combine(WorkDir, "orders.csv"), "order_id,product_name,unit_price,quantity\no1,Tea,2.5,1\n", Ct);
        WriteConfig("{ type: csv, path: orders.csv }");

        var check = await HostProcess.RunAsync(WorkDir, new Dictionary<string, string> { ["E2E_AFFINSY_KEY"] = "afn_not_a_key" }, "check", "--json");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("Affinsy refused the key (401)", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("read 1 orders", check.Stdout, StringComparison.Ordinal); // the source is still checked
        Assert.DoesNotContain("afn_not_a_key", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_configuration_error_naming_the_directory_it_was_resolved_against()
    {
        await StartServerAsync();
        WriteConfig("{ type: csv, path: missing.csv }");

        var check = await CheckAsync();

        Assert.Equal(2, check.ExitCode);
        Assert.Contains("missing.csv", check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shopify_in_bulk_mode_passes_from_the_shop_and_its_scopes_without_starting_a_bulk_operation()
    {
        await StartServerAsync();
        await using var shop = await ShopifyEmulator.StartAsync(new ShopifyEmulatorOptions { Orders = 5, Throttle = false, ShopName = "Tea Corner" }, TimeProvider.System, Ct);
        WriteConfig($$"""{ type: shopify, shop: emulated.myshopify.com, access_token: shpat_emulator, base_url: "{{shop.BaseUrl}}" }""");

        var check = await CheckAsync("--json");

        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains("token accepted by emulated.myshopify.com (shop name: Tea Corner)", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"check\": \"shopify scope read_orders\"", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"check\": \"shopify api version\"", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("check starts no bulk operation", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, shop.BulkOperationsStarted);
        Assert.Equal(1, shop.GraphQLRequests); // shop and scopes in one request, no orders read
    }

    [Fact]
    public async Task A_token_without_read_orders_fails_naming_the_scope_and_where_to_grant_it()
    {
        await StartServerAsync();
        await using var shop = await ShopifyEmulator.StartAsync(
            new ShopifyEmulatorOptions { Orders = 5, Throttle = false, Scopes = ["read_products"] }, TimeProvider.System, Ct);
        WriteConfig($$"""{ type: shopify, shop: emulated.myshopify.com, access_token: shpat_emulator, base_url: "{{shop.BaseUrl}}", mode: graphql }""");

        var check = await CheckAsync("--json");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("lacks the read_orders scope (granted: read_products)", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("Add read_orders to the app's Admin API access scopes", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("reinstall the app and set the new access token", check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_emulator", check.Stdout + check.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, shop.GraphQLRequests); // no orders page is tried without the scope
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(20, true)]
    public async Task A_token_without_read_all_orders_fails_only_when_the_first_sync_reaches_past_60_days(int? startDaysAgo, bool passes)
    {
        await StartServerAsync();
        await using var shop = await ShopifyEmulator.StartAsync(
            new ShopifyEmulatorOptions { Orders = 5, Throttle = false, Scopes = ["read_orders"] }, TimeProvider.System, Ct);
        var start = startDaysAgo is { } days ? $", start_date: {DateTime.UtcNow.AddDays(-days):yyyy-MM-dd}" : "";
        WriteConfig($$"""{ type: shopify, shop: emulated.myshopify.com, access_token: shpat_emulator, base_url: "{{shop.BaseUrl}}", mode: rest{{start}} }""");

        var check = await CheckAsync("--json");

        Assert.True(check.ExitCode == (passes ? 0 : 1), check.Stdout + check.Stderr);
        var firstPage = System.Text.Json.JsonDocument.Parse(check.Stdout).RootElement.EnumerateArray()
            .Single(r => r.GetProperty("check").GetString() == "shopify first page");
        Assert.True(firstPage.GetProperty("passed").GetBoolean(), firstPage.ToString());
        Assert.Contains("rest page", firstPage.GetProperty("detail").GetString() ?? "", StringComparison.Ordinal);
        if (!passes)
        {
            Assert.Contains("the first sync reads the whole history (no start_date), but the token lacks read_all_orders", check.Stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("read_all_orders", check.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Kafka_passes_with_brokers_partitions_and_what_the_group_would_read()
    {
        await StartServerAsync();
        await using var broker = Affinsy.Testing.Kafka.KafkaBroker.StartMock(brokers: 2);
        var partitions = await broker.CreateTopicAsync("orders", 2, Ct);
        using (var producer = broker.CreateProducer())
        {
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync("orders", new Confluent.Kafka.Message<string?, string> { Key = $"k{i}", Value = "{}" }, Ct);
            }
        }

        WriteConfig($$"""{ type: kafka, bootstrap_servers: "{{broker.BootstrapServers}}", topics: [orders], group_id: e2e-check }""");

        var check = await CheckAsync("--json");

        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains("2 brokers reachable", check.Stdout, StringComparison.Ordinal);
        Assert.Contains($"orders ({partitions} partitions)", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders: no committed offsets yet, the first sync starts at the earliest offsets (3 messages on the topic)", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kafka_fails_naming_a_topic_that_does_not_exist_and_how_to_create_it()
    {
        await StartServerAsync();
        await using var broker = Affinsy.Testing.Kafka.KafkaBroker.StartMock(brokers: 1);
        await broker.CreateTopicAsync("orders", 1, Ct);
        WriteConfig($$"""{ type: kafka, bootstrap_servers: "{{broker.BootstrapServers}}", topics: [orders, ordres], group_id: e2e-check }""");

        var check = await CheckAsync("--json");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("topic ordres does not exist on " + broker.BootstrapServers, check.Stdout, StringComparison.Ordinal);
        Assert.Contains("kafka-topics.sh --create --topic ordres", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders (", check.Stdout, StringComparison.Ordinal); // the topic that exists still passes
    }

    [Fact]
    public async Task An_unknown_pipeline_name_is_a_usage_error_listing_the_pipelines_of_the_file()
    {
        await StartServerAsync();
        await File.WriteAllTextAsync(Path.Combine(WorkDir, "orders.csv"), "order_id,product_name,unit_price,quantity\no1,Tea,2.5,1\n", Ct);
        WriteConfig("{ type: csv, path: orders.csv }");

        var check = await CheckAsync("shop", "shpo");
        var sync = await SyncAsync("shpo");

        Assert.Equal((2, 2), (check.ExitCode, sync.ExitCode));
        Assert.All([check.Stderr, sync.Stderr], e => Assert.Contains("No such pipeline: shpo. Pipelines in connectors.yaml: shop.", e, StringComparison.Ordinal));
        Assert.Equal(0, Server.Gate.IngestsAdmitted.Value);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> CheckAsync(params string[] args) =>
        HostProcess.RunAsync(WorkDir, Env, ["check", .. args]);

    /// <summary>The fixture's pipeline <c>shop</c> on a CSV file, plus a Shopify pipeline on the emulator.</summary>
    private static string Pipelines(ShopifyEmulator shop, string token) => $$"""
        { type: csv, path: orders.csv }
          - name: shopify
            dataset_id: shopify
            source: { type: shopify, shop: emulated.myshopify.com, access_token: {{token}}, base_url: "{{shop.BaseUrl}}", mode: graphql }
        """;
}
