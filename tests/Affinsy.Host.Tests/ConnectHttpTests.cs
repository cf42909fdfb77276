using Affinsy.Core.Sources.Http;
using Affinsy.Host.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>The Host's container (<see cref="ConnectServices"/>) hands out every named HTTP client with the settings the code used to build by hand.</summary>
public sealed class ConnectHttpTests
{
    [Fact]
    public async Task Every_named_client_resolves_with_its_time_limit()
    {
        await using var services = Build(NullLoggerFactory.Instance);
        var factory = services.GetRequiredService<IHttpClientFactory>();
        var sources = services.GetRequiredService<ISourceHttpClients>();

        using var sink = factory.CreateClient(ConnectHttp.Affinsy);
        using var check = factory.CreateClient(ConnectHttp.Check);
        using var reports = factory.CreateClient(ConnectHttp.Reports);
        using var shopify = sources.CreateClient(Shopify);
        using var woocommerce = sources.CreateClient(WooCommerce);

        Assert.Equal(Timeout.InfiniteTimeSpan, sink.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), check.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(100), reports.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(2), shopify.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, woocommerce.Timeout);
    }

    [Fact]
    public void Every_http_source_declares_its_client_with_its_registration_and_http_jsonl_follows_no_redirect()
    {
        Assert.Equal(["http-jsonl", "shopify", "woocommerce"], Sources.Select(s => s.Name).Order(StringComparer.Ordinal));
        var jsonl = Sources.Single(s => s.Name == "http-jsonl");
        Assert.False(jsonl.CreateHandler().AllowAutoRedirect);
        Assert.True(Shopify.CreateHandler().AllowAutoRedirect);
    }

    [Fact]
    public async Task The_woocommerce_client_asks_for_compressed_answers_and_the_shopify_client_does_not()
    {
        var token = TestContext.Current.CancellationToken;
        await using var echo = await StartEchoAsync(token);
        await using var services = Build(NullLoggerFactory.Instance);
        var sources = services.GetRequiredService<ISourceHttpClients>();

        var woocommerce = await AcceptEncodingAsync(sources.CreateClient(WooCommerce), echo.Address, token);
        var shopify = await AcceptEncodingAsync(sources.CreateClient(Shopify), echo.Address, token);

        Assert.Equal("gzip, deflate, br", woocommerce);
        Assert.Equal(string.Empty, shopify);
    }

    [Fact]
    public async Task A_disposed_source_client_leaves_its_pool_open_for_the_next_one()
    {
        var token = TestContext.Current.CancellationToken;
        await using var echo = await StartEchoAsync(token);
        await using var services = Build(NullLoggerFactory.Instance);
        var sources = services.GetRequiredService<ISourceHttpClients>();

        await AcceptEncodingAsync(sources.CreateClient(Shopify), echo.Address, token);
        var again = await AcceptEncodingAsync(sources.CreateClient(Shopify), echo.Address, token);

        Assert.Equal(string.Empty, again);
    }

    [Fact]
    public async Task The_clients_log_no_request_of_their_own()
    {
        // A WooCommerce URL may carry the consumer key (auth: query): the factory's request logs would print it.
        var token = TestContext.Current.CancellationToken;
        await using var echo = await StartEchoAsync(token);
        var recorder = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        await using var services = Build(loggers);

        await AcceptEncodingAsync(services.GetRequiredService<ISourceHttpClients>().CreateClient(WooCommerce), echo.Address, token);
        using (var sink = services.GetRequiredService<IHttpClientFactory>().CreateClient(ConnectHttp.Affinsy))
        {
            using var response = await sink.GetAsync(echo.Address, token);
        }

        Assert.DoesNotContain("consumer_key", recorder.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP request", recorder.Output, StringComparison.Ordinal);
    }

    private static IReadOnlyList<SourceHttpClient> Sources { get; } = Host.Cli.ConfigFile.Sources().HttpClients;

    /// <summary>The composition root's container, as a one-shot command builds it.</summary>
    private static ServiceProvider Build(ILoggerFactory loggers) =>
        ConnectServices.Build(
            Core.Configuration.ConnectorsConfigLoader.Parse("pipelines: []\n", "connectors.yaml", Path.GetTempPath(), new Core.Sources.SourceRegistry()),
            loggers,
            TimeProvider.System);

    private static SourceHttpClient Shopify => Sources.Single(s => s.Name == "shopify");

    private static SourceHttpClient WooCommerce => Sources.Single(s => s.Name == "woocommerce");

    private static async Task<string> AcceptEncodingAsync(HttpClient client, Uri address, CancellationToken token)
    {
        using (client)
        {
            return await client.GetStringAsync(new Uri(address, "?consumer_key=ck_secret"), token);
        }
    }

    /// <summary>Kestrel on loopback answering each request with the Accept-Encoding it was sent.</summary>
    private static async Task<EchoServer> StartEchoAsync(CancellationToken token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/", (HttpRequest request) => Results.Text(request.Headers.AcceptEncoding.ToString()));
        await app.StartAsync(token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EchoServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    private sealed record EchoServer(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
