using Affinsy.Core.Sources;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;

namespace Affinsy.Sink.Pipelines;

/// <summary>
/// What one sync counted: read, refused by the source, skipped by design, sent, dead-lettered, and the server's
/// warnings; and the same events on the process's metrics. The reading, packing and acknowledging tasks all count,
/// so the rule is one: every field is read and written under <see cref="gate"/>, and nothing else is. The order
/// ledger's unchanged counts are its own and are added when read.
/// </summary>
internal sealed class RunCounters(string pipeline, SendCounters requests, RunLedger? ledger, ILogger logger)
{
    private readonly Lock gate = new();
    private readonly List<string> warnings = [];
    private readonly SkipCounts skipped = new();
    private SourceProgress? sourceProgress;

    /// <summary>Orders and line items accepted for sending; with the ledger's unchanged ones, what was read.</summary>
    private long ordersAccepted;
    private long lineItemsAccepted;
    private long refused;
    private long deadLettered;
    private long ordersSent;
    private long lineItemsSent;
    private long inserted;
    private long updated;
    private long rejected;

    /// <summary>Counts a batch the packer takes: its orders, its skips and how far through the source it ends.</summary>
    public void Accepted(NormalizedBatch batch)
    {
        var lines = 0L;
        foreach (var order in batch.Orders)
        {
            lines += order.LineItems.Count;
        }

        lock (gate)
        {
            ordersAccepted += batch.Orders.Count;
            lineItemsAccepted += lines;

            // A batch is accepted once, so each order it skipped is counted once per pass.
            if (batch.Skipped is { IsEmpty: false } batchSkips)
            {
                skipped.Add(batchSkips);
            }

            sourceProgress = batch.Progress ?? sourceProgress;
        }

        AffinsyMetrics.RecordOrdersRead(pipeline, batch.Orders.Count);
    }

    /// <summary>Counts one record the source or normalization refused (dead-lettered, or delivered to a topic).</summary>
    public void Refused()
    {
        lock (gate)
        {
            refused++;
        }

        AffinsyMetrics.RecordDeadLetters(pipeline, 1, DeadLetterReason.RefusedBySource);
    }

    /// <summary>Counts one order too large for any request, dead-lettered before sending.</summary>
    public void TooLarge()
    {
        lock (gate)
        {
            deadLettered++;
        }

        AffinsyMetrics.RecordDeadLetters(pipeline, 1, DeadLetterReason.TooLarge);
    }

    /// <summary>Adds the server's counts to the totals; returns the plan-cap warning when rows were kept out.</summary>
    public string? Tally(SendOutcome outcome)
    {
        string? capHit = null;
        lock (gate)
        {
            foreach (var result in outcome.Accepted)
            {
                ordersSent += result.OrdersReceived;
                lineItemsSent += result.LineItemsReceived;
                AffinsyMetrics.RecordLineItemsSent(pipeline, result.LineItemsReceived);
                inserted += result.Inserted;
                updated += result.Updated;
                rejected += result.Rejected;
                if (result.Rejected > 0 || result.Warning is not null)
                {
                    var warning = result.Warning ?? $"{result.Rejected} rows rejected";
                    capHit ??= warning;
                    if (!warnings.Contains(warning))
                    {
                        warnings.Add(warning);
                        logger.LogWarning("Pipeline {Pipeline}: Affinsy kept {Rejected} rows out: {Warning}", pipeline, result.Rejected, warning);
                    }
                }
            }

            foreach (var unanswered in outcome.AppliedUnanswered)
            {
                ordersSent += unanswered.Orders;
                lineItemsSent += unanswered.LineItems;
                AffinsyMetrics.RecordLineItemsSent(pipeline, unanswered.LineItems);
            }

            deadLettered += outcome.Rejected.Count;
        }

        AffinsyMetrics.RecordDeadLetters(pipeline, outcome.Rejected.Count, DeadLetterReason.RefusedByAffinsy);
        return capHit;
    }

    /// <summary>A snapshot for the progress line, with the counts the final result will give.</summary>
    public SyncProgress Progress()
    {
        lock (gate)
        {
            return new SyncProgress(OrdersRead, LineItemsRead, ordersSent, lineItemsSent, deadLettered, requests.Requests)
            {
                OrdersRefused = refused,
                Skipped = skipped.Copy(),
                Source = sourceProgress,
            };
        }
    }

    /// <summary>The result's counts; the caller adds how the sync ended.</summary>
    public SyncResult Result(SyncResult outcome)
    {
        lock (gate)
        {
            return outcome with
            {
                OrdersRead = OrdersRead,
                LineItemsRead = LineItemsRead,
                OrdersUnchanged = ledger?.UnchangedOrders ?? 0,
                LineItemsUnchanged = ledger?.UnchangedLineItems ?? 0,
                OrdersRefused = refused,
                Skipped = skipped.Copy(),
                OrdersDeadLettered = deadLettered,
                OrdersSent = ordersSent,
                LineItemsSent = lineItemsSent,
                Requests = requests.Requests,
                Retries = requests.Retries,
                Throttled = requests.Throttled,
                ServerErrors = requests.ServerErrors,
                TransportFailures = requests.TransportFailures,
                AppliedUnanswered = requests.AppliedUnanswered,
                LineItemsAppliedUnanswered = requests.LineItemsAppliedUnanswered,
                Inserted = inserted,
                Updated = updated,
                Rejected = rejected,
                Warnings = [.. warnings],
            };
        }
    }

    /// <summary>Everything read: accepted for sending, and left out by the ledger as unchanged.</summary>
    private long OrdersRead => ordersAccepted + (ledger?.UnchangedOrders ?? 0);

    private long LineItemsRead => lineItemsAccepted + (ledger?.UnchangedLineItems ?? 0);
}
