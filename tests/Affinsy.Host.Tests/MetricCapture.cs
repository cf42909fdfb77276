using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Affinsy.Core.Telemetry;

namespace Affinsy.Host.Tests;

/// <summary>Sums what the Affinsy meter records for one pipeline, per instrument, through a MeterListener of its own.</summary>
internal sealed class MetricCapture : IDisposable
{
    private readonly string pipeline;
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, double> sums = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);

    public MetricCapture(string pipeline)
    {
        this.pipeline = pipeline;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AffinsyMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    /// <summary>The sum of every measurement of <paramref name="instrument"/> for the pipeline (0 when none).</summary>
    public double this[string instrument] => sums.GetValueOrDefault(instrument);

    /// <summary>How many measurements <paramref name="instrument"/> recorded for the pipeline.</summary>
    public int Count(string instrument) => counts.GetValueOrDefault(instrument);

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == AffinsyMetrics.PipelineTag && Equals(tag.Value, pipeline))
            {
                sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                counts.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
                return;
            }
        }
    }
}
