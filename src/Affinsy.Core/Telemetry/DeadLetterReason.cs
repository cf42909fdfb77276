namespace Affinsy.Core.Telemetry;

/// <summary>Why a record went to the dead-letter store; the <c>reason</c> tag of <c>affinsy.dead_letters</c>.</summary>
public enum DeadLetterReason
{
    /// <summary>The source could not turn the record into a sendable order.</summary>
    RefusedBySource,

    /// <summary>Affinsy answered 400 (or 413 for a single order) for the order.</summary>
    RefusedByAffinsy,

    /// <summary>The order has more line items than one request may carry; orders are never split.</summary>
    TooLarge,
}
