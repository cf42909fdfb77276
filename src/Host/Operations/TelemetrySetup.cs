using Affinsy.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Affinsy.Host.Operations;

/// <summary>Wires metric and trace export from <see cref="MetricsSettings"/>: the Prometheus scrape, OTLP, or both.</summary>
internal static class TelemetrySetup
{
    /// <summary>The service name OTLP resources carry.</summary>
    public const string ServiceName = "affinsy-connect";

    /// <summary>
    /// Registers <see cref="PrometheusMetrics"/> as a singleton when <see cref="MetricsSettings.Prometheus"/>
    /// (map it with <see cref="PrometheusEndpoint.MapPrometheusScrape"/>), and the OpenTelemetry SDK with OTLP
    /// exporters for the Affinsy and runtime meters and the Affinsy spans when <see cref="MetricsSettings.OtlpEndpoint"/>
    /// is set. An endpoint on port 4318 or with a path is taken as OTLP over HTTP/protobuf, anything else as gRPC.
    /// </summary>
    public static IServiceCollection AddAffinsyTelemetry(this IServiceCollection services, MetricsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Prometheus)
        {
            // Nothing here reads prometheus-net's static default registry; should anything ever scrape it, it must not
            // start prometheus-net's own meter and event-counter adapters (a second listener to every meter).
            Prometheus.Metrics.SuppressDefaultMetrics();
            services.AddSingleton<PrometheusMetrics>();
        }

        if (settings.OtlpEndpoint is { } endpoint)
        {
            var protocol = UsesHttp(endpoint) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: AffinsyMetrics.Meter.Version))
                .WithMetrics(metrics => metrics
                    .AddMeter(AffinsyMetrics.MeterName, PrometheusMetrics.RuntimeMeterName)
                    .AddOtlpExporter(otlp =>
                    {
                        otlp.Endpoint = OtlpUri(endpoint, protocol, "v1/metrics");
                        otlp.Protocol = protocol;
                    }))
                .WithTracing(tracing => tracing
                    .AddSource(AffinsyTracing.SourceName)
                    .AddOtlpExporter(otlp =>
                    {
                        otlp.Endpoint = OtlpUri(endpoint, protocol, "v1/traces");
                        otlp.Protocol = protocol;
                    }));
        }

        return services;
    }

    private static bool UsesHttp(Uri endpoint) => endpoint.Port == 4318 || endpoint.AbsolutePath.Length > 1;

    /// <summary>
    /// Over HTTP the exporter posts to the URI as given (it adds no signal path when the endpoint is set in code), so
    /// the signal's path is added: to a bare collector address, or in place of the other signal's path when the
    /// configured URL names one (<c>…/v1/metrics</c> from before traces existed). Any other path is a base path
    /// (a collector behind a prefix) and gets the signal path appended. gRPC takes the address as it is.
    /// </summary>
    internal static Uri OtlpUri(Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        if (protocol != OtlpExportProtocol.HttpProtobuf)
        {
            return endpoint;
        }

        var path = endpoint.AbsolutePath.TrimEnd('/');
        foreach (var known in (ReadOnlySpan<string>)["/v1/metrics", "/v1/traces"])
        {
            if (path.EndsWith(known, StringComparison.Ordinal))
            {
                path = path[..^known.Length];
                break;
            }
        }

        return new UriBuilder(endpoint) { Path = path + "/" + signalPath }.Uri;
    }
}
