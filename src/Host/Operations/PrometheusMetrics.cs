using System.Diagnostics.Metrics;
using System.Text;
using Affinsy.Core.Telemetry;

namespace Affinsy.Host.Operations;

/// <summary>
/// Listens to the Affinsy meter (and the runtime's) and writes current values in the Prometheus text
/// exposition format 0.0.4. The OpenTelemetry Prometheus exporter is prerelease-only, and a scrape needs
/// nothing more than cumulative values per tag set, so this keeps them itself.
/// </summary>
internal sealed class PrometheusMetrics : IDisposable
{
    /// <summary>The runtime's built-in meter (GC, memory, thread pool, exceptions); observable, so cheap until scraped.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    private readonly MeterListener listener = new();
    private readonly HashSet<string> meters;
    private readonly Lock sync = new();
    private readonly Dictionary<Instrument, PrometheusFamily> families = [];
    private readonly Lock scraping = new();
    private long scrape;

    public PrometheusMetrics()
        : this(AffinsyMetrics.MeterName, RuntimeMeterName)
    {
    }

    /// <summary>Listens to the named meters only (tests pass their own).</summary>
    public PrometheusMetrics(params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        meters = new HashSet<string>(meterNames, StringComparer.Ordinal);
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (!meters.Contains(instrument.Meter.Name))
            {
                return;
            }

            var family = new PrometheusFamily(instrument);
            lock (sync)
            {
                families[instrument] = family;
            }

            l.EnableMeasurementEvents(instrument, family);
        };
        listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (sync)
            {
                families.Remove(instrument);
            }
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

    /// <summary>Collects observable instruments and writes every family, sorted by name.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (scraping)
        {
            // Observable callbacks record with this scrape's number; series they no longer report are left out.
            var current = Interlocked.Increment(ref scrape);
            listener.RecordObservableInstruments();
            List<PrometheusFamily> ordered;
            lock (sync)
            {
                ordered = [.. families.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];
            }

            string? previous = null;
            foreach (var family in ordered)
            {
                // Two instruments that map to one name would make an invalid exposition: the first wins.
                if (family.Name != previous)
                {
                    family.WriteTo(writer, current);
                    previous = family.Name;
                }
            }
        }
    }

    /// <summary>Writes the exposition as UTF-8 to <paramref name="stream"/>.</summary>
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteTo(text);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
    }

    public void Dispose() => listener.Dispose();

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        ((PrometheusFamily)state!).Record(value, tags, Interlocked.Read(ref scrape));
}
