using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Collects the mapped drafts of one page into a batch; the pipeline normalizes them. Public, with the bulk result's
/// readers (<see cref="JsonlLines"/>, <see cref="OrderSpill"/>, <see cref="BulkResultParser"/>), so that the
/// <c>shopify</c> benchmark times those stages from memory (<c>--stage download</c>); what it fills them with stays internal.
/// </summary>
/// <param name="mapping">How Shopify orders map onto Affinsy's.</param>
/// <param name="skips">Where orders left out by design are counted.</param>
public sealed class BatchBuilder(ShopifyMappingOptions mapping, SkipCounter skips)
{
    private List<OrderDraft> drafts = [];
    private List<Refusal> refusals = [];

    /// <summary>The drafts and refusals collected since the last <see cref="Take"/>.</summary>
    public int Count => drafts.Count + refusals.Count;

    /// <summary>The earliest creation time of any order read (sent or not): tells whether old orders are hidden by a missing scope.</summary>
    internal DateTimeOffset? OldestCreated { get; private set; }

    internal void Add(ShopifyOrder order, string position, Func<string> original, string? extraProblem = null) =>
        Add(order, () => position, original, extraProblem);

    /// <summary>
    /// Maps and collects one order. The position and original text read parser state that moves on with the next
    /// order, so they are made now, and only for a draft the pipeline will refuse.
    /// </summary>
    internal void Add(ShopifyOrder order, Func<string> position, Func<string> original, string? extraProblem = null)
    {
        if (order.CreatedAt is { } created && (OldestCreated is null || created < OldestCreated))
        {
            OldestCreated = created;
        }

        var mapped = ShopifyOrderMapper.Map(order, mapping);
        if (mapped.Draft is not { } draft)
        {
            if (mapped.Reason is { } reason)
            {
                skips.Add(order.Id, order.UpdatedAt, reason);
            }

            return;
        }

        if (extraProblem is not null)
        {
            draft.Refuse(extraProblem);
        }

        if (draft.WillBeRefused)
        {
            draft.Origin = RecordOrigin.Of(position(), original());
        }

        drafts.Add(draft);
    }

    /// <summary>From now on, skipped orders updated at or after <paramref name="from"/> count once even when read again in this pass.</summary>
    internal void RememberSkipsFrom(DateTimeOffset from) => skips.RememberFrom = from;

    /// <summary>Dead-letters a record that is not an order (a bulk line item whose order is missing).</summary>
    internal void Refuse(string reason, string position, string original) =>
        refusals.Add(new Refusal(reason, position, original, null));

    /// <summary>The batch collected so far, with <paramref name="checkpoint"/>; the builder starts empty again.</summary>
    public OrderBatch Take(Checkpoint? checkpoint)
    {
        var batch = new OrderBatch(drafts, refusals, checkpoint) { Skipped = skips.TakeBatch() };
        drafts = [];
        refusals = [];
        return batch;
    }

    internal static string Json(GqlOrder order) => JsonSerializer.Serialize(order, GraphQLJsonContext.Default.GqlOrder);

    internal static string Json(RestOrder order) => JsonSerializer.Serialize(order, RestJsonContext.Default.RestOrder);
}
