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

    public void Add(ShopifyOrder order, string position, Func<string> original, string? extraProblem = null) =>
        Add(order, () => position, original, extraProblem);

    /// <summary>Maps, normalizes and collects one order; the position and original text are only made for a refusal.</summary>
    public void Add(ShopifyOrder order, Func<string> position, Func<string> original, string? extraProblem = null)
    {
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
