using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Affinsy.Host.Operations;

/// <summary>The scrape endpoint on the worker's HTTP listener.</summary>
internal static class PrometheusEndpoint
{
    /// <summary>
    /// Answers GET <paramref name="path"/> with the Prometheus text exposition of the
    /// <see cref="PrometheusMetrics"/> registered in the container (see <see cref="TelemetrySetup.AddAffinsyTelemetry"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapPrometheusScrape(this IEndpointRouteBuilder app, string path = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var metrics = app.ServiceProvider.GetService<PrometheusMetrics>()
            ?? throw new InvalidOperationException(
                "The Prometheus scrape is mapped but worker.metrics.prometheus is false (or AddAffinsyTelemetry was not called): "
                + "map the scrape only when the settings ask for it.");
        app.MapGet(path, async (HttpContext context) =>
        {
            context.Response.ContentType = PrometheusText.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
        });
        return app;
    }
}
