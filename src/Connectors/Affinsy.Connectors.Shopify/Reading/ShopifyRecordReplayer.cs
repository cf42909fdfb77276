using System.Text;
using System.Text.Json;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Reads a Shopify dead letter again with the current mapping options: a letter of the REST or GraphQL reader holds the
/// order as that API's JSON. Not re-read: a GraphQL order whose line items did not fit one page (the letter holds only
/// the first page), and a bulk export's letter (it holds the export's result lines).
/// </summary>
internal sealed class ShopifyRecordReplayer(ShopifyMappingOptions mapping) : IRecordReplayer
{
    private const string FixInShopify = "fix the order in Shopify, where the change is read again by the next sync, then purge the letter";

    public ValueTask<RecordReplay> ReplayAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var json = Encoding.UTF8.GetBytes(letter.OriginalRecord);
        ShopifyOrder order;
        try
        {
            if (letter.Position.StartsWith("REST order ", StringComparison.Ordinal))
            {
                order = ShopifyOrderJson.ParseRest(json);
            }
            else if (letter.Position.StartsWith("GraphQL order ", StringComparison.Ordinal))
            {
                var node = JsonSerializer.Deserialize(json, GraphQLJsonContext.Default.GqlOrder) ?? throw new JsonException("expected an order node, got null");
                if (node.LineItems?.PageInfo?.HasNextPage == true)
                {
                    return ValueTask.FromResult(RecordReplay.Cannot("the letter holds only the first page of the order's line items; sync it whole with mode: bulk (reset the checkpoint), or " + FixInShopify));
                }

                order = ShopifyOrderJson.FromGraphQL(node, null);
            }
            else
            {
                return ValueTask.FromResult(RecordReplay.Cannot("a bulk export's letter holds the export's result lines, which are not read again; " + FixInShopify));
            }
        }
        catch (JsonException e)
        {
            return ValueTask.FromResult(RecordReplay.Cannot($"the stored order JSON cannot be read ({e.Message}); {FixInShopify}"));
        }

        var mapped = ShopifyOrderMapper.Map(order, mapping);
        SkipCounts? skipped = null;
        if (mapped.Reason is { } why)
        {
            (skipped = new SkipCounts()).Add(why);
        }

        var batch = new OrderBatch(mapped.Draft is { } draft ? [draft] : [], [], null) { Skipped = skipped };
        return ValueTask.FromResult(RecordReplay.Attach(letter, [batch]));
    }
}
