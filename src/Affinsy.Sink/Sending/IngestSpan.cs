using System.Diagnostics;
using Affinsy.Core.Orders;
using Affinsy.Core.Telemetry;

namespace Affinsy.Sink.Sending;

/// <summary>The <see cref="AffinsyTracing.IngestSpan"/> of one ingest attempt.</summary>
internal static class IngestSpan
{
    /// <summary>
    /// One span per HTTP attempt, a child of the sync's. Only names, counts and the status code go on it: the
    /// request carries the API key in a header and customer data in its body, and neither belongs in a trace.
    /// </summary>
    public static Activity? Start(string datasetId, IReadOnlyList<Order> orders, string? pipeline, int attempt)
    {
        var span = AffinsyTracing.Source.StartActivity(AffinsyTracing.IngestSpan, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            var lineItems = 0;
            foreach (var order in orders)
            {
                lineItems += order.LineItems.Count;
            }

            span.SetTag(AffinsyTracing.PipelineTag, pipeline)
                .SetTag(AffinsyTracing.DatasetTag, datasetId)
                .SetTag("affinsy.orders", orders.Count)
                .SetTag("affinsy.line_items", lineItems)
                .SetTag("affinsy.attempt", attempt)
                .SetTag("http.request.method", "POST");
        }

        return span;
    }
}
