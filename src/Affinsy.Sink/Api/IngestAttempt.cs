using System.Net;

namespace Affinsy.Sink.Api;

/// <summary>One POST /data/orders exchange as the sender sees it: any status, never thrown.</summary>
internal sealed record IngestAttempt(HttpStatusCode Status, IngestResult? Result, ApiError? Error, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300 && Result is not null;

    /// <summary>Worth sending again unchanged: throttled, timed out, or a server fault (upserts make it safe).</summary>
    public bool IsTransient => Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)Status >= 500;

    /// <summary>
    /// Affinsy's own 504: its error body with a <c>request_id</c>. The API documents that an ingest answered so is still
    /// imported (AFFINSY_API.md, "Errors": "an ingest answered so still completes on the server"; "Concurrency": a third
    /// request in flight "is still imported, but answered 504 with a request_id"), only its counts are lost. A 504 with
    /// any other body (a proxy or load balancer in front of the API, which applied nothing we know of) is not this.
    /// </summary>
    public bool IsAppliedTimeout => Status == HttpStatusCode.GatewayTimeout && !string.IsNullOrEmpty(Error?.RequestId);
}
