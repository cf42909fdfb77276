using System.Diagnostics;
using System.Reflection;

namespace Affinsy.Core.Telemetry;

/// <summary>
/// The suite's spans, on one <see cref="ActivitySource"/> named <see cref="SourceName"/>: one per sync
/// (<see cref="SyncSpan"/>), one per ingest request attempt under it (<see cref="IngestSpan"/>), one per report
/// (<see cref="ReportSpan"/>). Tags carry names, counts and status codes only: never a key, a secret or a body.
/// Starting a span costs nothing when no listener (OTLP exporter, test listener) samples the source.
/// </summary>
public static class AffinsyTracing
{
    /// <summary>The name tracer providers subscribe to (the same as the meter's).</summary>
    public const string SourceName = AffinsyMetrics.MeterName;

    /// <summary>A pipeline sync, from reading its checkpoint to its result.</summary>
    public const string SyncSpan = "affinsy.sync";

    /// <summary>One POST of orders to the Affinsy ingest endpoint; a retry is a new span with the next attempt number.</summary>
    public const string IngestSpan = "affinsy.ingest";

    /// <summary>A report, from its trigger to its final status.</summary>
    public const string ReportSpan = "affinsy.report";

    /// <summary>Tag: the pipeline name.</summary>
    public const string PipelineTag = "affinsy.pipeline";

    /// <summary>Tag: the Affinsy dataset id.</summary>
    public const string DatasetTag = "affinsy.dataset";

    /// <summary>Tag: how a sync or report ended (<c>completed</c>, <c>failed</c>, <c>cancelled</c>; a report's status).</summary>
    public const string OutcomeTag = "affinsy.outcome";

    /// <summary>The source spans start on.</summary>
    public static ActivitySource Source { get; } = new(
        SourceName,
        typeof(AffinsyTracing).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(AffinsyTracing).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// A finished report as one span from <paramref name="triggeredAt"/> to <paramref name="finishedAt"/>. Recorded
    /// when it is collected, because reports of one pass are triggered together and awaited one after another.
    /// </summary>
    public static void RecordReport(
        string pipeline, string template, string reportId, string status, DateTimeOffset triggeredAt, DateTimeOffset finishedAt)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        using var span = Source.StartActivity(ReportSpan, ActivityKind.Internal, parentContext: default, startTime: triggeredAt);
        if (span is null)
        {
            return;
        }

        span.SetTag(PipelineTag, pipeline)
            .SetTag("affinsy.report.template", template)
            .SetTag("affinsy.report.id", reportId)
            .SetTag(OutcomeTag, status);
        if (!string.Equals(status, "Completed", StringComparison.OrdinalIgnoreCase))
        {
            span.SetStatus(ActivityStatusCode.Error);
        }

        span.SetEndTime(finishedAt.UtcDateTime);
    }
}
