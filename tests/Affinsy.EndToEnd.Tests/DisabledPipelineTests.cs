using System.Text.Json;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>enabled: false</c> through the executable: a bare <c>sync</c> leaves the pipeline out and says how to run it,
/// naming it runs it, and <c>validate</c> and <c>status</c> show it for what it is.
/// </summary>
public sealed class DisabledPipelineTests : SyncFixture
{
    [Fact]
    public async Task A_disabled_pipeline_is_left_out_of_a_bare_sync_and_runs_when_named()
    {
        await StartServerAsync();
        var shop = new StoreFile();
        shop.AppendCsv(Path.Combine(WorkDir, "shop.csv"), 50, seed: 1);
        var demo = new StoreFile();
        demo.AppendCsv(Path.Combine(WorkDir, "demo.csv"), 30, seed: 2);
        WritePipelines("""
              - name: shop
                dataset_id: shop
                source: { type: csv, path: shop.csv }
              - name: demo
                enabled: false
                dataset_id: demo
                source: { type: csv, path: demo.csv }
            """);

        var bare = await SyncAsync();

        Assert.True(bare.ExitCode == 0, bare.Stdout + bare.Stderr);
        Assert.Equal(Canonical(shop.Rows), Landed());
        Assert.Empty(Server.Store.LoadLines("local", "demo"));
        Assert.Contains("Left out (enabled: false in connectors.yaml): demo. Name one to run it, e.g. `affinsy-connect sync demo`.", bare.Stderr, StringComparison.Ordinal);

        var named = await SyncAsync("demo");

        Assert.True(named.ExitCode == 0, named.Stdout + named.Stderr);
        Assert.Equal(demo.Rows.Count, Server.Store.LoadLines("local", "demo").Count);
        Assert.DoesNotContain("Left out", named.Stderr, StringComparison.Ordinal);

        var validate = await HostProcess.RunAsync(WorkDir, Env, "validate");
        Assert.Contains("demo: csv -> dataset demo; no reports; enabled: false (runs only when named)", validate.Stdout, StringComparison.Ordinal);
        var status = await HostProcess.RunAsync(WorkDir, Env, "status", "--json");
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal([("shop", true), ("demo", false)], json.RootElement.EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("enabled").GetBoolean())));
    }

    [Fact]
    public async Task The_worker_runs_no_disabled_pipeline_even_with_a_schedule()
    {
        await StartServerAsync();
        var shop = new StoreFile();
        shop.AppendCsv(Path.Combine(WorkDir, "shop.csv"), 40, seed: 3);
        new StoreFile().AppendCsv(Path.Combine(WorkDir, "demo.csv"), 20, seed: 4);
        WritePipelines("""
              - name: shop
                dataset_id: shop
                schedule: "0 0/15 * * * ?"
                source: { type: csv, path: shop.csv }
              - name: demo
                enabled: false
                dataset_id: demo
                schedule: "0 0/15 * * * ?"
                source: { type: csv, path: demo.csv }
            """);

        var once = await HostProcess.RunAsync(WorkDir, Env, "run", "--once");

        Assert.True(once.ExitCode == 0, once.Stdout + once.Stderr);
        Assert.Equal(Canonical(shop.Rows), Landed());
        Assert.Empty(Server.Store.LoadLines("local", "demo"));
        var runs = JsonDocument.Parse((await HostProcess.RunAsync(WorkDir, Env, "runs", "--json")).Stdout).RootElement;
        Assert.Equal(["shop"], runs.EnumerateArray().Select(r => r.GetProperty("pipeline").GetString()));
    }
}
