using System.Diagnostics.Metrics;
using Affinsy.Core.Telemetry;

namespace Affinsy.Connectors.Kafka.Tests;

/// <summary>Sums the <c>affinsy.dead_letters</c> counter for one pipeline, through a MeterListener of its own.</summary>
internal sealed class DeadLetterMetric : IDisposable
{
    private readonly MeterListener listener = new();
    private long total;

    public DeadLetterMetric(string pipeline)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AffinsyMetrics.MeterName && instrument.Name == "affinsy.dead_letters")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == AffinsyMetrics.PipelineTag && Equals(tag.Value, pipeline))
                {
                    Interlocked.Add(ref total, value);
                }
            }
        });
        listener.Start();
    }

    public long Total => Interlocked.Read(ref total);

    public void Dispose() => listener.Dispose();
}
