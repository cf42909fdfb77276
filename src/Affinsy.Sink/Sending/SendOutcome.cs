using Affinsy.Core.Orders;
using Affinsy.Sink.Api;

namespace Affinsy.Sink.Sending;

/// <summary>
/// What became of a set of orders: the server's answers for those it accepted (one per request that succeeded),
/// the requests it applied but answered 504 (no counts), and those it refused as invalid. Every order given is in
/// exactly one of the three.
/// </summary>
internal sealed class SendOutcome
{
    public List<IngestResult> Accepted { get; } = [];

    /// <summary>Requests Affinsy answered with its own 504: applied, per the API, with no counts (<see cref="IngestAttempt.IsAppliedTimeout"/>).</summary>
    public List<UnansweredImport> AppliedUnanswered { get; } = [];

    public List<RejectedOrder> Rejected { get; } = [];

    /// <summary>Orders acknowledged: by a 200 (stored, updated, or skipped by a plan cap) or by Affinsy's own 504.</summary>
    public int OrdersAccepted => Accepted.Sum(r => r.OrdersReceived) + AppliedUnanswered.Sum(u => u.Orders);

    public int LineItemsAccepted => Accepted.Sum(r => r.LineItemsReceived) + AppliedUnanswered.Sum(u => u.LineItems);
}

/// <summary>An order the API refused, with why, and the server's validation details as JSON when it gave any.</summary>
internal sealed record RejectedOrder(Order Order, string Reason, string? Details);

/// <summary>A request Affinsy applied and answered 504: how much it carried and the server's request id.</summary>
internal sealed record UnansweredImport(int Orders, int LineItems, string RequestId);
