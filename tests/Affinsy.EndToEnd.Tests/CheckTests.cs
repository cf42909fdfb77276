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
