using System.Diagnostics.Metrics;
using Affinsy.Core.Telemetry;
using Prometheus;

namespace Affinsy.Host.Operations;

/// <summary>
/// Feeds the Affinsy meter (and the runtime's) into a prometheus-net <see cref="CollectorRegistry"/> of its own,
/// which writes the scrape (text 0.0.4, or OpenMetrics when asked) through <see cref="PrometheusEndpoint"/>.
/// </summary>
/// <remarks>
/// Why prometheus-net rather than OpenTelemetry's Prometheus exporter: the OpenTelemetry one is prerelease only
/// (1.20.1-beta.1 at the time of writing), prometheus-net 8 is stable and maintained. Why this listener rather
/// than prometheus-net's own <c>MeterAdapter</c>: the adapter names every metric
/// <c>{meter}_{instrument}</c> (<c>affinsy_connect_affinsy_orders_read</c>), exposes counters as gauges without
/// <c>_total</c>, adds no unit suffix, decorates HELP with the unit and CLR type, drops series untouched for five
/// minutes (an hourly sync's counters would vanish between runs) and formats each non-string tag value on every
/// measurement; none of that can be configured in 8.2.1 (<c>Prometheus/MeterAdapter.cs</c>). Dashboards and alerts
/// use the OpenTelemetry-style names this suite has always exposed, which are also what OTLP-to-Prometheus
/// pipelines produce, so this listener keeps them (<see cref="PrometheusNames"/>) and lets prometheus-net do the
/// rest. prometheus-net's default metrics (its process/.NET collectors and event counter adapter) are not used:
/// they live on its static default registry, which this never touches, and the <c>System.Runtime</c> meter
/// already gives the runtime series.
/// </remarks>
internal sealed class PrometheusMetrics : IDisposable
{
    /// <summary>The runtime's built-in meter (GC, memory, thread pool, exceptions); observable, so cheap until scraped.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    private readonly MeterListener listener = new();
    private readonly HashSet<string> meters;
    private readonly IMetricFactory factory;
    private readonly Lock sync = new();
    private readonly List<PrometheusSeries> series = [];
    private readonly Lock scraping = new();
    private long scrape;
    private bool disposed;

    public PrometheusMetrics()
        : this(AffinsyMetrics.MeterName, RuntimeMeterName)
    {
    }

    /// <summary>Listens to the named meters only (tests pass their own).</summary>
    public PrometheusMetrics(params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        meters = new HashSet<string>(meterNames, StringComparer.Ordinal);

        // A registry per listener: several hosts in one process (the tests) must not share series.
        Registry = Metrics.NewCustomRegistry();
        factory = Metrics.WithCustomRegistry(Registry);
        Registry.AddBeforeCollectCallback(CollectObservables);
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (!meters.Contains(instrument.Meter.Name))
            {
                return;
            }

            var created = new PrometheusSeries(instrument, factory);
            lock (sync)
            {
                series.Add(created);
            }

            l.EnableMeasurementEvents(instrument, created);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<short>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<float>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => Record(state, (double)value, tags));
        listener.Start();
    }

    /// <summary>The registry the scrape endpoint serializes.</summary>
    public CollectorRegistry Registry { get; }

    public void Dispose()
    {
        lock (scraping)
        {
            disposed = true;
        }

        listener.Dispose();
    }

    /// <summary>Before each scrape: observable callbacks record with this scrape's number; series they no longer report go.</summary>
    private void CollectObservables()
    {
        lock (scraping)
        {
            // The registry cannot drop its callback, so a disposed listener just does nothing.
            if (disposed)
            {
                return;
            }

            var current = Interlocked.Increment(ref scrape);
            listener.RecordObservableInstruments();
            List<PrometheusSeries> all;
            lock (sync)
            {
                all = [.. series];
            }

            foreach (var one in all)
            {
                one.RemoveUnreported(current);
            }
        }
    }

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        ((PrometheusSeries)state!).Record(value, tags, Interlocked.Read(ref scrape));
}
