using System.Text;
using Affinsy.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// A `sync` against a server that echoes the <c>Authorization</c> header in its 401 body (some proxies and
/// misconfigured gateways do): the failed run is recorded and reported, but the key reaches no file on disk
/// (state.db, dead letters) and nothing the executable prints.
/// </summary>
public sealed class EchoedKeyTests
{
    private const string Key = "afn_echoed_0123456789abcdef";

    [Fact]
    public async Task A_key_echoed_in_an_error_body_reaches_no_file_and_no_output_of_sync()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var echo = builder.Build();
        echo.Map("/{**path}", async (HttpContext ctx) =>
        {
            ctx.Response.StatusCode = 401;
            await ctx.Response.WriteAsJsonAsync(new { error = $"Invalid API key in '{ctx.Request.Headers.Authorization}'" });
        });
        await echo.StartAsync(ct);

        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("orders.csv"), "order_id,product_name,unit_price,quantity\n1,Tea,2.50,1\n", ct);
        await File.WriteAllTextAsync(dir.File("connectors.yaml"), $$"""
            affinsy:
              base_url: {{echo.Urls.First()}}/api/v1
              api_key: ${E2E_KEY}
            state: { path: state/state.db }
            pipelines:
              - name: shop
                dataset_id: shop
                source: { type: csv, path: orders.csv }
            """, ct);

        var run = await HostProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["E2E_KEY"] = Key }, "sync");
        var status = await HostProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["E2E_KEY"] = Key }, "runs", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("shop", status.Stdout, StringComparison.Ordinal); // the failed run is recorded
        Assert.DoesNotContain(Key, run.Stdout + run.Stderr + status.Stdout + status.Stderr, StringComparison.Ordinal);
        var needle = Encoding.UTF8.GetBytes(Key);
        foreach (var file in Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("connectors.yaml", StringComparison.Ordinal)))
        {
            Assert.False((await File.ReadAllBytesAsync(file, ct)).AsSpan().IndexOf(needle) >= 0, $"{file} holds the API key");
        }
    }
}
