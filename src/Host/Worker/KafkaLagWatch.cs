using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Affinsy.Core.Telemetry;

namespace Affinsy.Host.Worker;

/// <summary>
/// The latest consumer lag of each Kafka partition, as the consumers record it on <c>affinsy.kafka.consumer_lag</c>,
/// kept for the status page (the same numbers <c>/metrics</c> exports; nothing is asked of the broker).
/// </summary>
internal sealed class KafkaLagWatch : IDisposable
{
    private const string Instrument = "affinsy.kafka.consumer_lag";
    private readonly ConcurrentDictionary<(string Pipeline, string Topic, int Partition), long> _lag = new();
    private readonly MeterListener _listener = new();

    public KafkaLagWatch()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AffinsyMetrics.MeterName && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLag);
        _listener.Start();
    }

    /// <summary>Every partition seen, by pipeline, topic and partition.</summary>
    public IReadOnlyList<PartitionLag> Snapshot() =>
        [.. _lag.Select(x => new PartitionLag(x.Key.Pipeline, x.Key.Topic, x.Key.Partition, x.Value))
            .OrderBy(x => x.Pipeline, StringComparer.Ordinal).ThenBy(x => x.Topic, StringComparer.Ordinal).ThenBy(x => x.Partition)];

    private void OnLag(Instrument instrument, long lag, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pipeline = null, topic = null;
        var partition = -1;
        foreach (var (key, value) in tags)
        {
            switch (key)
            {
                case AffinsyMetrics.PipelineTag: pipeline = value as string; break;
                case "topic": topic = value as string; break;
                case "partition": partition = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }

        if (pipeline is not null && topic is not null)
        {
            _lag[(pipeline, topic, partition)] = lag;
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>One partition's lag, in messages.</summary>
internal sealed record PartitionLag(string Pipeline, string Topic, int Partition, long Lag);
