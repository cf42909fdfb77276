using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Affinsy.Host.Operations;

/// <summary>The scrape endpoint on the worker's HTTP listener.</summary>
internal static class PrometheusEndpoint
{
    /// <summary>
    /// Answers GET <paramref name="path"/> with prometheus-net's exposition of the <see cref="PrometheusMetrics"/>
    /// registered in the container (see <see cref="TelemetrySetup.AddAffinsyTelemetry"/>): text 0.0.4, or
    /// OpenMetrics (with trace exemplars) when the scraper asks for it.
    /// </summary>
    public static IEndpointRouteBuilder MapPrometheusScrape(this IEndpointRouteBuilder app, string path = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var metrics = app.ServiceProvider.GetService<PrometheusMetrics>()
            ?? throw new InvalidOperationException(
                "The Prometheus scrape is mapped but worker.metrics.prometheus is false (or AddAffinsyTelemetry was not called): "
                + "map the scrape only when the settings ask for it.");

        // The registry is always given: without it prometheus-net would serve its static default registry and
        // switch on its own default collectors there.
        app.MapMetrics(settings => settings.Registry = metrics.Registry, path);
        return app;
    }
}
