using System.Text;
using System.Text.Json;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Core.Sources;
using Affinsy.Core.State;

namespace Affinsy.Connectors.WooCommerce.Reading;

/// <summary>
/// Reads a WooCommerce dead letter (the order's JSON as the REST API sent it) again with the current mapping. An order
/// with refunds is not re-read: its refunds' line items come from another request and are not in the letter, so a
/// replay would send refunded quantities as bought.
/// </summary>
internal sealed class WooCommerceRecordReplayer(WooCommerceMapping mapping) : IRecordReplayer
{
    private const string FixInStore = "fix the order in WooCommerce, where the change is read again by the next sync, then purge the letter";

    public ValueTask<RecordReplay> ReplayAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        WooOrder order;
        try
        {
            order = WooCommerceOrderJson.Parse(Encoding.UTF8.GetBytes(letter.OriginalRecord));
        }
        catch (JsonException e)
        {
            return ValueTask.FromResult(RecordReplay.Cannot($"the stored order JSON cannot be read ({e.Message}); {FixInStore}"));
        }

        if (order.Refunds is { Count: > 0 })
        {
            return ValueTask.FromResult(RecordReplay.Cannot("the order has refunds, whose line items the letter does not hold; " + FixInStore));
        }

        SkipCounts? skipped = null;
        List<Core.Orders.OrderDraft> drafts = [];
        if (WooCommerceOrderMapper.IsSkipped(order))
        {
            (skipped = new SkipCounts()).Add(WooCommerceOrderMapper.SkipReasonOf(order.Status));
        }
        else if (WooCommerceOrderMapper.ToDraft(order, [], mapping) is { } draft)
        {
            drafts.Add(draft);
        }

        return ValueTask.FromResult(RecordReplay.Attach(letter, [new OrderBatch(drafts, [], null) { Skipped = skipped }]));
    }
}
