using System.Text.Json;
using Affinsy.Core.Orders;

namespace Affinsy.Core.Sources.Messages;

/// <summary>
/// What one message became: an order draft (which the pipeline normalizes), a problem (the message is dead-lettered
/// with this reason and its position), a skip (left out by design: counted, not dead-lettered), or nothing. A value
/// type so a decoder returns its answer without an allocation per message.
/// </summary>
public readonly record struct DecodedMessage
{
    private DecodedMessage(OrderDraft? draft, string? problem, string? orderId, SkipReason? skipped)
    {
        Draft = draft;
        Problem = problem;
        OrderId = orderId;
        Skipped = skipped;
    }

    /// <summary>The order the message holds, not yet normalized.</summary>
    public OrderDraft? Draft { get; }

    /// <summary>Why the message cannot become an order, said so a producer knows what to fix.</summary>
    public string? Problem { get; }

    /// <summary>The order id a <see cref="Problem"/> concerns, when it could be read.</summary>
    public string? OrderId { get; }

    /// <summary>Why the order was left out by design.</summary>
    public SkipReason? Skipped { get; }

    /// <summary>The message is an order.</summary>
    public static DecodedMessage Order(OrderDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new(draft, null, null, null);
    }

    /// <summary>The message cannot become an order.</summary>
    public static DecodedMessage Refused(string reason, string? orderId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(null, reason, orderId, null);
    }

    /// <summary>The order is left out by design.</summary>
    public static DecodedMessage Skip(SkipReason reason) => new(null, null, null, reason);

    /// <summary>The problem of a message with no value; <paramref name="expected"/> describes the shape wanted.</summary>
    public static DecodedMessage Empty(string expected) => Refused($"empty message; expected one JSON object {expected}");

    /// <summary>
    /// The problem of a message that is not JSON, worded the same for every format (the parser's message says where).
    /// </summary>
    public static DecodedMessage NotJson(JsonException exception, string expected) => Refused(NotJsonReason(exception, expected));

    /// <summary>The reason text of <see cref="NotJson"/>, for a format that reports problems its own way.</summary>
    public static string NotJsonReason(JsonException exception, string expected)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"not a valid JSON message: {exception.Message}; each message must be one JSON object {expected}";
    }
}
