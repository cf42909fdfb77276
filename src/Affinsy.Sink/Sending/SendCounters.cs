namespace Affinsy.Sink.Sending;

/// <summary>What sending cost, for one pipeline run; updated from concurrent sends.</summary>
internal sealed class SendCounters
{
    private long requests;
    private long retries;
    private long throttled;
    private long serverErrors;
    private long transportFailures;
    private long badRequests;
    private long tooLarge;
    private long appliedUnanswered;
    private long lineItemsAppliedUnanswered;

    /// <summary>The pipeline these sends belong to, for the metrics' <c>pipeline</c> tag.</summary>
    public string? Pipeline { get; init; }

    /// <summary>HTTP exchanges attempted for ingests, retries included.</summary>
    public long Requests => Interlocked.Read(ref requests);

    public long Retries => Interlocked.Read(ref retries);

    /// <summary>429 answers seen.</summary>
    public long Throttled => Interlocked.Read(ref throttled);

    /// <summary>5xx answers seen (504 included).</summary>
    public long ServerErrors => Interlocked.Read(ref serverErrors);

    /// <summary>Timeouts and dropped connections.</summary>
    public long TransportFailures => Interlocked.Read(ref transportFailures);

    /// <summary>400 answers (each leads to isolating invalid orders).</summary>
    public long BadRequests => Interlocked.Read(ref badRequests);

    /// <summary>413 answers (each splits the request).</summary>
    public long TooLarge => Interlocked.Read(ref tooLarge);

    /// <summary>Requests Affinsy answered with its own 504, applied per its API and not sent again.</summary>
    public long AppliedUnanswered => Interlocked.Read(ref appliedUnanswered);

    /// <summary>Line items of <see cref="AppliedUnanswered"/>: acknowledged, but in no inserted/updated count.</summary>
    public long LineItemsAppliedUnanswered => Interlocked.Read(ref lineItemsAppliedUnanswered);

    internal void CountAppliedUnanswered(long lineItems)
    {
        Interlocked.Increment(ref appliedUnanswered);
        Interlocked.Add(ref lineItemsAppliedUnanswered, lineItems);
    }

    internal void CountRequest() => Interlocked.Increment(ref requests);

    internal void CountRetry() => Interlocked.Increment(ref retries);

    internal void CountThrottled() => Interlocked.Increment(ref throttled);

    internal void CountServerError() => Interlocked.Increment(ref serverErrors);

    internal void CountTransportFailure() => Interlocked.Increment(ref transportFailures);

    internal void CountBadRequest() => Interlocked.Increment(ref badRequests);

    internal void CountTooLarge() => Interlocked.Increment(ref tooLarge);
}
