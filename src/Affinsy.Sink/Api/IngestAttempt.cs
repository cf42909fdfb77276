using System.Net;

namespace Affinsy.Sink.Api;

/// <summary>One POST /data/orders exchange as the sender sees it: any status, never thrown.</summary>
internal sealed record IngestAttempt(HttpStatusCode Status, IngestResult? Result, ApiError? Error, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300 && Result is not null;

    /// <summary>Worth sending again unchanged: throttled, timed out, or a server fault (upserts make it safe).</summary>
    public bool IsTransient => Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)Status >= 500;
}
