namespace Affinsy.Sink.Webhooks;

/// <summary>What Affinsy POSTs when a report finishes.</summary>
/// <param name="Event"><c>report.completed</c> or <c>report.failed</c>.</param>
public sealed record WebhookPayload(
    string Event,
    string ReportId,
    string ReportType,
    string Status,
    DateTimeOffset Timestamp)
{
    public const string ReportCompleted = "report.completed";
    public const string ReportFailed = "report.failed";
}
