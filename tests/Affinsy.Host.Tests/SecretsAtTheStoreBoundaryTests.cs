using System.Text;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Affinsy.Sink;
using Affinsy.Sink.Api;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// A server that echoes the <c>Authorization</c> header in its error bodies (as some proxies and misconfigured APIs
/// do; the 401 body shape is docs/AFFINSY_API.md's <c>{"error","details"}</c>): the key must reach neither the SQLite
/// file, nor the dead-letter file, nor what is read back for the console.
/// </summary>
public sealed class SecretsAtTheStoreBoundaryTests : IAsyncLifetime
{
    private const string ApiKey = "afn_live_0123456789abcdef";
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-secrets-").FullName;
    private WebApplication? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.Map("/{**path}", async (HttpContext ctx) =>
        {
            var echoed = ctx.Request.Headers.Authorization.ToString();
            ctx.Response.StatusCode = 401;
            await ctx.Response.WriteAsJsonAsync(new { error = $"Invalid API key in '{echoed}'", details = new[] { new { path = "authorization", message = echoed } } });
        });
        await _server.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_echoed_key_lands_in_neither_the_state_file_nor_the_dead_letters_nor_what_is_read_back()
    {
        var answer = await Assert.ThrowsAsync<AffinsyApiException>(() => ClientFor(_server!.Urls.First()).ListDatasetsAsync(Ct));
        Assert.DoesNotContain(ApiKey, answer.Message, StringComparison.Ordinal); // the client masks its own key in what it reads
        Assert.Contains("Bearer ***", answer.Message, StringComparison.Ordinal);

        // Errors from anywhere else (another client, a source's server) reach the store unmasked: the boundary masks them.
        var failure = new AffinsyApiException($"{answer.Message} (raw: Bearer {ApiKey})");
        var config = ConnectorsConfigLoader.Parse(
            "affinsy: { api_key: \"${AFFINSY_API_KEY}\" }\npipelines: []\n", "connectors.yaml", _directory, new Core.Sources.SourceRegistry(),
            name => name == "AFFINSY_API_KEY" ? ApiKey : null);

        await using (var state = await RedactingStateBackend.OpenAsync(config, TimeProvider.System, Ct))
        {
            await state.History.RecordRunAsync(new RunRecord("r1", "orders", "host/1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, RunOutcome.Failed, failure.Message, 0, 0, 0), Ct);
            var details = string.Join("; ", failure.Details.Select(d => d.Message));
            await state.DeadLetters.WriteAsync("orders", new DeadLetter(failure.Message, "order 7", $"{{\"auth\":\"Bearer {ApiKey}\"}}", "7", DateTimeOffset.UnixEpoch, details), Ct);

            var run = Assert.Single(await state.History.RecentRunsAsync("orders", 5, Ct));
            Assert.Contains("Bearer ***", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKey, run.Error, StringComparison.Ordinal);
        }

        foreach (var file in Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(ApiKey)) >= 0, $"{file} holds the API key");
        }

        Assert.Contains("***", await File.ReadAllTextAsync(Path.Combine(_directory, ".affinsy", "dead-letters", "orders.jsonl"), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_written_before_masking_are_masked_when_read_back()
    {
        var settings = new StateSettings { Path = Path.Combine(_directory, "state.db") };
        await using (var raw = await StateStores.OpenSqliteAsync(settings, TimeProvider.System, Ct))
        {
            await raw.History.RecordRunAsync(new RunRecord("r0", "orders", "host/1", DateTimeOffset.UnixEpoch, null, RunOutcome.Failed, $"401 for key {ApiKey}", 0, 0, 0), Ct);
        }

        await using var inner = await StateStores.OpenSqliteAsync(settings, TimeProvider.System, Ct);
        var masked = new RedactingStateBackend(inner, new SecretSet([ApiKey]));

        Assert.Equal("401 for key ***", Assert.Single(await masked.History.LatestRunsAsync(Ct)).Error);
    }

    private static AffinsyClient ClientFor(string url)
    {
        // The sender is what the Host builds a client through; it is kept for the test's lifetime.
        var sender = new AffinsySender(new HttpClient(), new SinkOptions { BaseUrl = new Uri(url), ApiKey = ApiKey });
        return sender.Client;
    }
}
