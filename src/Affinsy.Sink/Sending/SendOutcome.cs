using Affinsy.Core.Orders;
using Affinsy.Sink.Api;

namespace Affinsy.Sink.Sending;

/// <summary>
/// What became of a set of orders: the server's answers for those it accepted (one per request that
/// succeeded) and those it refused as invalid. Every order given is in exactly one of the two.
/// </summary>
internal sealed class SendOutcome
{
    public List<IngestResult> Accepted { get; } = [];

    public List<RejectedOrder> Rejected { get; } = [];

    /// <summary>Orders acknowledged by a 200 (stored, updated, or skipped by a plan cap).</summary>
    public int OrdersAccepted => Accepted.Sum(r => r.OrdersReceived);

    public int LineItemsAccepted => Accepted.Sum(r => r.LineItemsReceived);
}

/// <summary>An order the API refused, with why, and the server's validation details as JSON when it gave any.</summary>
internal sealed record RejectedOrder(Order Order, string Reason, string? Details);
