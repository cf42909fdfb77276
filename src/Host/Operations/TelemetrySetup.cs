using Affinsy.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Affinsy.Host.Operations;

/// <summary>Wires metric export from <see cref="MetricsSettings"/>: the Prometheus scrape, OTLP, or both.</summary>
internal static class TelemetrySetup
{
    /// <summary>The service name OTLP resources carry.</summary>
    public const string ServiceName = "affinsy-connect";

    /// <summary>
    /// Registers <see cref="PrometheusMetrics"/> as a singleton when <see cref="MetricsSettings.Prometheus"/>
    /// (map it with <see cref="PrometheusEndpoint.MapPrometheusScrape"/>), and the OpenTelemetry SDK with an
    /// OTLP exporter for the Affinsy and runtime meters when <see cref="MetricsSettings.OtlpEndpoint"/> is set.
    /// An endpoint on port 4318 or with a path is taken as OTLP over HTTP/protobuf, anything else as gRPC.
    /// </summary>
    public static IServiceCollection AddAffinsyTelemetry(this IServiceCollection services, MetricsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Prometheus)
        {
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
                        otlp.Endpoint = OtlpUri(endpoint, protocol);
                        otlp.Protocol = protocol;
                    }));
        }

        return services;
    }

    private static bool UsesHttp(Uri endpoint) => endpoint.Port == 4318 || endpoint.AbsolutePath.Length > 1;

    /// <summary>Over HTTP the exporter posts to the URI as given, so a bare collector address gets the metrics path.</summary>
    private static Uri OtlpUri(Uri endpoint, OtlpExportProtocol protocol) =>
        protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath.Length <= 1
            ? new Uri(endpoint, "/v1/metrics")
            : endpoint;
}
