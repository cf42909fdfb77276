using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>Collects mapped orders and refusals of one page into a batch.</summary>
internal sealed class BatchBuilder(ShopifyMappingOptions mapping, SkipCounter skips)
{
    private List<Order> orders = [];
    private List<Refusal> refusals = [];

    public int Count => orders.Count + refusals.Count;

    /// <summary>The earliest creation time of any order read (sent or not): tells whether old orders are hidden by a missing scope.</summary>
    public DateTimeOffset? OldestCreated { get; private set; }

    public void Add(ShopifyOrder order, string position, Func<string> original, string? extraProblem = null) =>
        Add(order, () => position, original, extraProblem);

    /// <summary>Maps, normalizes and collects one order; the position and original text are only made for a refusal.</summary>
    public void Add(ShopifyOrder order, Func<string> position, Func<string> original, string? extraProblem = null)
    {
        if (order.CreatedAt is { } created && (OldestCreated is null || created < OldestCreated))
        {
            OldestCreated = created;
        }

        var mapped = ShopifyOrderMapper.Map(order, mapping);
        if (mapped.Draft is not { } draft)
        {
            skips.Add(mapped.Skipped);
            return;
        }

        if (extraProblem is not null)
        {
            draft.Refuse(extraProblem);
        }

        var result = OrderNormalizer.Normalize(draft);
        if (result.Order is { } normalized)
        {
            orders.Add(normalized);
        }
        else
        {
            refusals.Add(new Refusal($"Shopify order {order.Name ?? order.Id}: {result.RefusalReason}", position(), original(), order.Id));
        }
    }

    /// <summary>Dead-letters a record that is not an order (a bulk line item whose order is missing).</summary>
    public void Refuse(string reason, string position, string original) =>
        refusals.Add(new Refusal(reason, position, original, null));

    public OrderBatch Take(Checkpoint? checkpoint)
    {
        var batch = new OrderBatch(orders, refusals, checkpoint);
        orders = [];
        refusals = [];
        return batch;
    }

    public static string Json(GqlOrder order) => JsonSerializer.Serialize(order, GraphQLJsonContext.Default.GqlOrder);

    public static string Json(RestOrder order) => JsonSerializer.Serialize(order, RestJsonContext.Default.RestOrder);
}
