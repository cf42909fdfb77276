using System.Diagnostics.Metrics;

namespace Affinsy.Host.Operations;

/// <summary>
/// The current values of one instrument, one series per distinct tag set. Counters and up-down counters
/// accumulate; gauges and observable instruments keep the last value (an observable counter reports its
/// running total); histograms count into cumulative buckets at write time.
/// </summary>
internal sealed class PrometheusFamily
{
    /// <summary>OpenTelemetry's default explicit bucket bounds, for histograms without advice.</summary>
    private static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock sync = new();
    private readonly List<Series> series = [];
    private readonly bool keepsLast;
    private readonly bool observable;
    private readonly double[]? bounds;

    public PrometheusFamily(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        observable = instrument.IsObservable;
        var isCounter = definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>);
        var isHistogram = definition == typeof(Histogram<>);
        keepsLast = observable || definition == typeof(Gauge<>);
        Type = isCounter ? "counter" : isHistogram ? "histogram" : "gauge";
        Name = PrometheusText.MetricName(instrument.Name, instrument.Unit, isCounter);
        Help = PrometheusText.EscapeHelp(instrument.Description ?? instrument.Name);
        bounds = isHistogram ? BoundsOf(instrument) : null;
    }

    /// <summary>The metric family name, unit suffix and <c>_total</c> included.</summary>
    public string Name { get; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    public string Help { get; }

    /// <summary>Adds or sets a measurement. Allocates only the first time a tag set is seen.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long scrape)
    {
        lock (sync)
        {
            var target = Find(tags) ?? Add(tags);
            target.Scrape = scrape;
            if (bounds is not null)
            {
                target.Buckets![BucketOf(value)]++;
                target.Sum += value;
                target.Count++;
            }
            else if (keepsLast)
            {
                target.Value = value;
            }
            else
            {
                target.Value += value;
            }
        }
    }

    /// <summary>
    /// Writes the family: HELP, TYPE, then its samples. Observable series not reported in
    /// <paramref name="scrape"/> are left out (their pipeline or partition is gone). Writes nothing
    /// when there is no series.
    /// </summary>
    public void WriteTo(TextWriter writer, long scrape)
    {
        lock (sync)
        {
            var live = series.Where(s => !observable || s.Scrape == scrape).ToList();
            if (live.Count == 0)
            {
                return;
            }

            writer.Write($"# HELP {Name} {Help}\n# TYPE {Name} {Type}\n");
            foreach (var s in live)
            {
                if (bounds is null)
                {
                    writer.Write($"{Name}{s.Labels} {PrometheusText.Number(s.Value)}\n");
                    continue;
                }

                var cumulative = 0L;
                for (var i = 0; i <= bounds.Length; i++)
                {
                    cumulative += s.Buckets![i];
                    var le = i < bounds.Length ? PrometheusText.Number(bounds[i]) : "+Inf";
                    writer.Write($"{Name}_bucket{WithLabel(s.Labels, "le", le)} {cumulative}\n");
                }

                writer.Write($"{Name}_sum{s.Labels} {PrometheusText.Number(s.Sum)}\n");
                writer.Write($"{Name}_count{s.Labels} {s.Count}\n");
            }
        }
    }

    private Series? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var candidate in series)
        {
            if (candidate.Matches(tags))
            {
                return candidate;
            }
        }

        return null;
    }

    private Series Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var created = new Series(tags.ToArray(), bounds is null ? null : new long[bounds.Length + 1]);
        series.Add(created);
        return created;
    }

    /// <summary>The bucket a value falls in: the first bound it does not exceed (<c>le</c>), else +Inf.</summary>
    private int BucketOf(double value)
    {
        var index = Array.BinarySearch(bounds!, value);
        return index >= 0 ? index : ~index;
    }

    private static string WithLabel(string labels, string name, string value) =>
        labels.Length == 0 ? $"{{{name}=\"{value}\"}}" : $"{labels[..^1]},{name}=\"{value}\"}}";

    private static double[] BoundsOf(Instrument instrument)
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

    private sealed class Series
    {
        private readonly KeyValuePair<string, object?>[] tags;

        public Series(KeyValuePair<string, object?>[] tags, long[]? buckets)
        {
            this.tags = tags;
            Buckets = buckets;
            Labels = tags.Length == 0
                ? string.Empty
                : "{" + string.Join(
                    ",",
                    tags.OrderBy(t => t.Key, StringComparer.Ordinal)
                        .Select(t => $"{PrometheusText.LabelName(t.Key)}=\"{PrometheusText.EscapeLabelValue(PrometheusText.LabelValue(t.Value))}\"")) + "}";
        }

        /// <summary>The rendered label set, <c>{a="x",b="y"}</c>, or empty.</summary>
        public string Labels { get; }

        public double Value { get; set; }

        public long[]? Buckets { get; }

        public double Sum { get; set; }

        public long Count { get; set; }

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
