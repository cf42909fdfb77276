using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Affinsy.Core.Telemetry;

/// <summary>
/// The connector suite's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>. Every
/// <c>Record…</c> method is safe to call on a hot path: instruments are created once, tags travel in
/// stack-only tag lists with cached values, and nothing is recorded when no listener is subscribed.
/// Exporters (Prometheus scrape, OTLP) subscribe to the meter by name.
/// </summary>
public static class AffinsyMetrics
{
    /// <summary>The name exporters subscribe to.</summary>
    public const string MeterName = "Affinsy.Connect";

    /// <summary>Tag carrying the pipeline name.</summary>
    public const string PipelineTag = "pipeline";

    private static readonly Meter MeterInstance = new(MeterName, typeof(AffinsyMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AffinsyMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> OrdersRead = MeterInstance.CreateCounter<long>(
        "affinsy.orders.read", "{order}", "Orders read from sources, before sending.");

    private static readonly Counter<long> LineItemsSent = MeterInstance.CreateCounter<long>(
        "affinsy.line_items.sent", "{line_item}", "Line items Affinsy acknowledged.");

    private static readonly Counter<long> Requests = MeterInstance.CreateCounter<long>(
        "affinsy.requests", "{request}", "Ingest requests sent to Affinsy (retries included), by status class and outcome.");

    private static readonly Counter<long> Retries = MeterInstance.CreateCounter<long>(
        "affinsy.retries", "{retry}", "Ingest requests retried after a transient failure.");

    private static readonly Counter<long> Throttled = MeterInstance.CreateCounter<long>(
        "affinsy.throttled", "{response}", "429 Too Many Requests answers from Affinsy.");

    private static readonly Counter<long> DeadLetters = MeterInstance.CreateCounter<long>(
        "affinsy.dead_letters", "{order}", "Records dead-lettered (to the dead-letter store or a Kafka dead-letter topic), by reason.");

    private static readonly Counter<long> WebhookRejections = MeterInstance.CreateCounter<long>(
        "affinsy.webhook_rejections", "{delivery}", "Webhook deliveries the receiver refused, by reason (unsigned, bad_signature, stale, too_large...).");

    private static readonly Gauge<long> KafkaLag = MeterInstance.CreateGauge<long>(
        "affinsy.kafka.consumer_lag", "{message}", "Messages between a partition's high watermark and the consumer's position.");

    private static readonly Histogram<double> SyncDuration = MeterInstance.CreateHistogram(
        "affinsy.sync.duration", "s", "Duration of pipeline syncs, by outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    private static readonly Histogram<double> ReportDuration = MeterInstance.CreateHistogram(
        "affinsy.report.duration", "s", "Time from triggering a report to its result, by template and final status.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    /// <summary>Per pipeline: the newest source time covered by its last saved checkpoint, and the clock to measure lag with.</summary>
    private static readonly ConcurrentDictionary<string, (DateTimeOffset SourceTime, TimeProvider Time)> Checkpoints = new(StringComparer.Ordinal);

    // Boxed once: a boxed int or a fresh string per measurement would allocate on every call.
    private static readonly object[] Partitions = [.. Enumerable.Range(0, 256).Select(i => (object)i)];

    static AffinsyMetrics()
    {
        MeterInstance.CreateObservableGauge(
            "affinsy.checkpoint.lag", ObserveCheckpointLag, "s",
            "Seconds between now and the source time of the newest order covered by the pipeline's last saved checkpoint.");
    }

    /// <summary>The meter itself, for exporters that take a <see cref="Meter"/> rather than a name.</summary>
    public static Meter Meter => MeterInstance;

    /// <summary>Orders a pipeline read from its source (refusals not included).</summary>
    public static void RecordOrdersRead(string pipeline, long orders)
    {
        if (orders > 0)
        {
            OrdersRead.Add(orders, new KeyValuePair<string, object?>(PipelineTag, pipeline));
        }
    }

    /// <summary>Line items Affinsy acknowledged for a pipeline.</summary>
    public static void RecordLineItemsSent(string pipeline, long lineItems)
    {
        if (lineItems > 0)
        {
            LineItemsSent.Add(lineItems, new KeyValuePair<string, object?>(PipelineTag, pipeline));
        }
    }

    /// <summary>
    /// One ingest request answered with <paramref name="statusCode"/>. <paramref name="appliedUnanswered"/>: Affinsy's
    /// own 504, which per the API was applied; its outcome is <c>applied_unanswered</c>, not <c>server_error</c>.
    /// </summary>
    public static void RecordRequest(string? pipeline, int statusCode, bool appliedUnanswered = false) =>
        Requests.Add(
            1,
            new KeyValuePair<string, object?>(PipelineTag, pipeline ?? Unknown),
            new KeyValuePair<string, object?>("status_class", StatusClass(statusCode)),
            new KeyValuePair<string, object?>("outcome", appliedUnanswered ? "applied_unanswered" : RequestOutcome(statusCode)));

    /// <summary>One ingest request that got no answer (timeout, dropped connection).</summary>
    public static void RecordRequestWithoutAnswer(string? pipeline) =>
        Requests.Add(
            1,
            new KeyValuePair<string, object?>(PipelineTag, pipeline ?? Unknown),
            new KeyValuePair<string, object?>("status_class", "none"),
            new KeyValuePair<string, object?>("outcome", "transport_error"));

    /// <summary>One retry of an ingest request.</summary>
    public static void RecordRetry(string? pipeline) =>
        Retries.Add(1, new KeyValuePair<string, object?>(PipelineTag, pipeline ?? Unknown));

    /// <summary>One 429 answer.</summary>
    public static void RecordThrottled(string? pipeline) =>
        Throttled.Add(1, new KeyValuePair<string, object?>(PipelineTag, pipeline ?? Unknown));

    /// <summary>Records sent to the dead-letter store, with why.</summary>
    public static void RecordDeadLetters(string pipeline, long records, DeadLetterReason reason)
    {
        if (records > 0)
        {
            DeadLetters.Add(
                records,
                new KeyValuePair<string, object?>(PipelineTag, pipeline),
                new KeyValuePair<string, object?>("reason", ReasonName(reason)));
        }
    }

    /// <summary>
    /// One webhook delivery refused, with why in snake_case (<c>unsigned</c>, <c>malformed_signature</c>,
    /// <c>bad_signature</c>, <c>malformed_body</c>, <c>stale</c>, <c>too_large</c>): a steady count of bad signatures
    /// is someone probing the receiver, or a rotated key.
    /// </summary>
    public static void RecordWebhookRejection(string reason) =>
        WebhookRejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>
    /// A checkpoint was saved that covers orders up to <paramref name="sourceTime"/> (their source
    /// update time, else their order date). The lag gauge reports <c>now - sourceTime</c> on the
    /// given clock until the next save, so a stalled pipeline shows a growing lag.
    /// </summary>
    public static void RecordCheckpoint(string pipeline, DateTimeOffset sourceTime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(time);
        Checkpoints[pipeline] = (sourceTime, time);
    }

    /// <summary>Consumer lag of one partition, in messages.</summary>
    public static void RecordKafkaLag(string pipeline, string topic, int partition, long lag)
    {
        var tags = new TagList
        {
            { PipelineTag, pipeline },
            { "topic", topic },
            { "partition", (uint)partition < (uint)Partitions.Length ? Partitions[partition] : partition },
        };
        KafkaLag.Record(lag, in tags);
    }

    /// <summary>How long one sync took, with its outcome (<c>completed</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public static void RecordSyncDuration(string pipeline, string outcome, TimeSpan elapsed) =>
        SyncDuration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>(PipelineTag, pipeline),
            new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>How long one report took from trigger to its final <paramref name="status"/>.</summary>
    public static void RecordReportDuration(string pipeline, string template, string status, TimeSpan elapsed) =>
        ReportDuration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>(PipelineTag, pipeline),
            new KeyValuePair<string, object?>("template", template),
            new KeyValuePair<string, object?>("status", status));

    private const string Unknown = "unknown";

    private static IEnumerable<Measurement<double>> ObserveCheckpointLag()
    {
        foreach (var (pipeline, (sourceTime, time)) in Checkpoints)
        {
            var lag = (time.GetUtcNow() - sourceTime).TotalSeconds;
            yield return new Measurement<double>(Math.Max(0, lag), new KeyValuePair<string, object?>(PipelineTag, pipeline));
        }
    }

    private static string StatusClass(int status) => status switch
    {
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    private static string RequestOutcome(int status) => status switch
    {
        >= 200 and < 300 => "accepted",
        429 => "throttled",
        401 or 403 => "unauthorized",
        413 => "too_large",
        >= 400 and < 500 => "rejected",
        >= 500 and < 600 => "server_error",
        _ => "other",
    };

    private static string ReasonName(DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.RefusedBySource => "refused_by_source",
        DeadLetterReason.RefusedByAffinsy => "refused_by_affinsy",
        DeadLetterReason.TooLarge => "too_large",
        _ => "other",
    };
}
