using System.Net;
using Affinsy.Core.Telemetry;
using Affinsy.Host.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Xunit;

namespace Affinsy.Host.Tests;

public sealed class ScrapeEndpointTests
{
    [Fact]
    public async Task The_scrape_endpoint_on_kestrel_answers_200_with_the_prometheus_content_type_and_the_metrics()
    {
        var token = TestContext.Current.CancellationToken;
        var pipeline = "scrape-" + Guid.NewGuid().ToString("N")[..8];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAffinsyTelemetry(new MetricsSettings(Prometheus: true, OtlpEndpoint: null));
        await using var app = builder.Build();
        app.MapPrometheusScrape();
        await app.StartAsync(token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        AffinsyMetrics.RecordOrdersRead(pipeline, 5);

        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative), token);
        var body = await response.Content.ReadAsStringAsync(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        Assert.Equal(5, Assert.Single(Exposition.Parse(body).Named("affinsy_orders_read_total", pipeline)).Value);
        await app.StopAsync(token);
    }

    [Fact]
    public async Task Without_prometheus_no_scrape_listener_is_registered()
    {
        var services = new ServiceCollection().AddAffinsyTelemetry(new MetricsSettings(Prometheus: false, OtlpEndpoint: null));
        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<PrometheusMetrics>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void An_otlp_endpoint_registers_the_opentelemetry_meter_provider()
    {
        // Registration only: building and disposing the provider would flush to a collector that is not there.
        var services = new ServiceCollection().AddLogging()
            .AddAffinsyTelemetry(new MetricsSettings(Prometheus: false, OtlpEndpoint: new Uri("http://127.0.0.1:4318")));

        Assert.Contains(services, d => d.ServiceType == typeof(MeterProvider));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(PrometheusMetrics));
    }
}
