using System.Diagnostics;
using System.Diagnostics.Metrics;
using Prometheus;

namespace Affinsy.Host.Operations;

/// <summary>
/// One instrument as one prometheus-net metric, one child per distinct tag set. prometheus-net keeps the values
/// and writes the exposition; this only decides the metric's name, type and labels and finds the child for a
/// measurement without allocating once the tag set has been seen (values are compared, not formatted).
/// </summary>
internal sealed class PrometheusSeries
{
    /// <summary>OpenTelemetry's default explicit bucket bounds, for histograms without advice.</summary>
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock sync = new();
    private readonly List<Entry> entries = [];
    private readonly IMetricFactory factory;
    private readonly Instrument instrument;
    private readonly Kind kind;
    private readonly string name;
    private Collector? collector;
    private bool refused;

    public PrometheusSeries(Instrument instrument, IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(factory);
        this.instrument = instrument;
        this.factory = factory;
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        kind = definition == typeof(Counter<>) ? Kind.Counter
            : definition == typeof(ObservableCounter<>) ? Kind.CounterTotal
            : definition == typeof(Histogram<>) ? Kind.Histogram
            : definition == typeof(UpDownCounter<>) ? Kind.GaugeDelta
            : Kind.Gauge;
        name = PrometheusNames.Metric(instrument.Name, instrument.Unit, kind is Kind.Counter or Kind.CounterTotal);
    }

    /// <summary>Adds, sets or observes one measurement.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long scrape)
    {
        lock (sync)
        {
            if (Find(tags) is not { } entry)
            {
                if (Add(tags) is not { } added)
                {
                    return;
                }

                entry = added;
            }

            entry.Scrape = scrape;
            switch (kind)
            {
                case Kind.Counter when value > 0:
                    ((Counter.Child)entry.Child).Inc(value);
                    break;
                case Kind.CounterTotal:
                    ((Counter.Child)entry.Child).IncTo(value);
                    break;
                case Kind.Histogram:
                    ((Histogram.Child)entry.Child).Observe(value);
                    break;
                case Kind.GaugeDelta:
                    ((Gauge.Child)entry.Child).Inc(value);
                    break;
                case Kind.Gauge:
                    ((Gauge.Child)entry.Child).Set(value);
                    break;
            }
        }
    }

    /// <summary>
    /// Removes the series of an observable instrument that its callback did not report in <paramref name="scrape"/>
    /// (their pipeline or partition is gone), so the scrape shows only what is current.
    /// </summary>
    public void RemoveUnreported(long scrape)
    {
        if (!instrument.IsObservable)
        {
            return;
        }

        lock (sync)
        {
            foreach (var stale in entries.Where(e => e.Scrape != scrape).ToList())
            {
                ((ChildBase)stale.Child).Remove();
                entries.Remove(stale);
            }
        }
    }

    private Entry? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var candidate in entries)
        {
            if (candidate.Matches(tags))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>First sight of a tag set: labels sorted by name, the metric created on the first one.</summary>
    private Entry? Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var labelNames = sorted.Select(t => PrometheusNames.Label(t.Key)).ToArray();
        var labelValues = sorted.Select(t => PrometheusNames.LabelValue(t.Value)).ToArray();
        try
        {
            collector ??= Create(labelNames);
            if (!collector.LabelNames.SequenceEqual(labelNames, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"tags {string.Join(",", labelNames)} differ from the first seen");
            }

            var entry = new Entry(sorted, collector switch
            {
                Counter c => c.WithLabels(labelValues),
                Histogram h => h.WithLabels(labelValues),
                Gauge g => g.WithLabels(labelValues),
                _ => throw new UnreachableException(),
            });
            entries.Add(entry);
            return entry;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // One odd instrument (a name clash, a tag set that changes shape) must not break the scrape: it is left out, said once.
            if (!refused)
            {
                refused = true;
                Trace.TraceWarning($"Metric {name} is not exposed: {e.Message}");
            }

            return null;
        }
    }

    private Collector Create(string[] labelNames)
    {
        var help = instrument.Description ?? instrument.Name;
        return kind switch
        {
            Kind.Counter or Kind.CounterTotal => factory.CreateCounter(name, help, labelNames),
            Kind.Histogram => factory.CreateHistogram(name, help, labelNames, new HistogramConfiguration { Buckets = Bounds() }),
            _ => factory.CreateGauge(name, help, labelNames),
        };
    }

    private double[] Bounds()
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            _ => null,
        };
        var sorted = (advised ?? DefaultBounds).Where(double.IsFinite).Distinct().Order().ToArray();
        return sorted.Length > 0 ? sorted : DefaultBounds;
    }

    private enum Kind
    {
        Counter,
        CounterTotal,
        Histogram,
        GaugeDelta,
        Gauge,
    }

    private sealed class Entry(KeyValuePair<string, object?>[] tags, ICollectorChild child)
    {
        public ICollectorChild Child { get; } = child;

        /// <summary>The scrape in which this series was last recorded or observed.</summary>
        public long Scrape { get; set; }

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> other)
        {
            if (other.Length != tags.Length)
            {
                return false;
            }

            foreach (var tag in other)
            {
                if (!Contains(tag))
                {
                    return false;
                }
            }

            return true;
        }

        private bool Contains(KeyValuePair<string, object?> tag)
        {
            foreach (var own in tags)
            {
                if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal))
                {
                    return Equals(own.Value, tag.Value);
                }
            }

            return false;
        }
    }
}
