namespace Affinsy.Sink.Webhooks;

/// <summary>What a receiver should make of a delivery.</summary>
public enum WebhookStatus
{
    /// <summary>Signed by a known key, parsed, first time seen: process it, answer 2xx.</summary>
    Accepted,

    /// <summary>Genuine, but this delivery id was already accepted: answer 2xx and do nothing.</summary>
    Duplicate,

    /// <summary>No X-Affinsy-Signature header: answer 401.</summary>
    Unsigned,

    /// <summary>The header is not <c>sha256=</c> followed by 64 hex digits: answer 401.</summary>
    MalformedSignature,

    /// <summary>Well-formed but wrong: tampered body or another key. Answer 401.</summary>
    BadSignature,

    /// <summary>Correctly signed but not a report event this client can read: answer 400.</summary>
    MalformedBody,

    /// <summary>Correctly signed, but its <c>timestamp</c> is older than the receiver's max age (a replay?): answer 401.</summary>
    Stale,
}

/// <summary>The verdict on one delivery; <see cref="Payload"/> is set for accepted and duplicate deliveries.</summary>
public sealed record WebhookVerdict(WebhookStatus Status, WebhookPayload? Payload, string? Reason)
{
    /// <summary>The signature is genuine (accepted or duplicate): the sender should get a 2xx.</summary>
    public bool IsAuthentic => Status is WebhookStatus.Accepted or WebhookStatus.Duplicate;
}
