namespace Affinsy.Host.Operations;

/// <summary>
/// <c>worker.metrics</c> in connectors.yaml.
/// </summary>
/// <param name="Prometheus">Serve the Prometheus scrape at <c>/metrics</c> (default true).</param>
/// <param name="OtlpEndpoint">When set, also push metrics and spans over OTLP to this collector (e.g. <c>http://otel-collector:4317</c>).</param>
internal sealed record MetricsSettings(bool Prometheus = true, Uri? OtlpEndpoint = null);
