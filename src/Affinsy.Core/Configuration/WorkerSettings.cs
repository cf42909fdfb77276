namespace Affinsy.Core.Configuration;

/// <summary>The <c>worker:</c> section: how <c>affinsy-connect run</c> is operated.</summary>
public sealed record WorkerSettings
{
    /// <summary>The default HTTP listener for <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.</summary>
    public static readonly Uri DefaultListen = new("http://127.0.0.1:8080");

    /// <summary>Where the health and metrics endpoints listen.</summary>
    public Uri Listen { get; init; } = DefaultListen;

    /// <summary>On SIGTERM, how long running syncs get to reach a checkpoint before they are cancelled.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Serve Prometheus text on <c>/metrics</c> (default true).</summary>
    public bool Prometheus { get; init; } = true;

    /// <summary>Push metrics and spans by OTLP to this endpoint as well; null: no push.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Quartz's cluster check-in interval (postgres state only): how soon a dead worker's jobs are taken over.</summary>
    public TimeSpan ClusterCheckinInterval { get; init; } = TimeSpan.FromSeconds(5);
}
