using System.Text;
using Affinsy.Testing;
using System.Net;
using System.Net.Sockets;
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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var serving = EchoAuthorizationAsync(listener, stop.Token);
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("orders.csv"), "order_id,product_name,unit_price,quantity\n1,Tea,2.50,1\n", ct);
        await File.WriteAllTextAsync(dir.File("connectors.yaml"), $$"""
            affinsy:
              base_url: {{url}}/api/v1
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

        await stop.CancelAsync();
        await serving;
    }

    /// <summary>Answers every request 401 with the Authorization header in the body, then closes the connection.</summary>
    private static async Task EchoAuthorizationAsync(TcpListener listener, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(ct);
                await using var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[8192];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, ct);
                    if (read == 0)
                    {
                        break;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var authorization = head.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?[14..].Trim() ?? "";
                var body = Encoding.UTF8.GetBytes($"{{\"error\":\"Invalid API key in '{authorization}'\"}}");
                var answer = $"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), ct);
                await stream.WriteAsync(body, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
