using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Core.Orders;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.WooCommerce.Reading;

/// <summary>
/// Reads a store's orders modified ascending, one page per batch. Paging is by key, not by offset: after each
/// page the next request starts again at page 1, modified after the last instant read (minus a second, as
/// WooCommerce dates have whole seconds and <c>modified_after</c> is strict), skipping the ids already read at that
/// instant. An order modified mid-read moves to the end of the list and is read there; no other order shifts
/// into a page already read, as it would with <c>page=N+1</c>. Only when one instant holds a whole page of orders
/// (bulk imports) does the read step to the next page of the same query.
/// </summary>
internal sealed class WooCommerceOrderSource(
    IWooCommerceOrders store,
    WooCommerceSourceOptions options,
    ILogger logger) : IOrderSource
{
    public const string Type = "woocommerce";

    private static readonly TimeSpan Resolution = TimeSpan.FromSeconds(1);

    /// <summary>The options this source was bound to.</summary>
    public WooCommerceSourceOptions Options => options;

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = from is null ? null : WooCheckpoint.Parse(from);
        DateTimeOffset? boundary = start?.ModifiedGmt;
        var idsAtBoundary = new HashSet<long>(start?.Ids ?? []);

        // The lookback re-reads what was acknowledged recently, to catch orders whose modification was saved with
        // an earlier time than the checkpoint (long requests, clock skew, plugins writing dates): re-sending is an upsert.
        DateTimeOffset? after = start is null ? null : start.ModifiedGmt - options.Lookback - Resolution;
        var page = 1;

        // The last instant read in this run and the ids read at it: the next query starts one second before it.
        DateTimeOffset? key = null;
        var idsAtKey = new HashSet<long>();
        while (true)
        {
            var result = await store.GetOrdersAsync(new WooOrderQuery(after, options.Statuses, options.PageSize, page), cancellationToken).ConfigureAwait(false);
            var orders = new List<Order>(result.Orders.Count);
            var refusals = new List<Refusal>();
            var fresh = 0;
            foreach (var wooOrder in result.Orders)
            {
                var modified = WooCommerceOrderMapper.ParseGmt(wooOrder.DateModifiedGmt);
                if (modified is { } m
                    && ((m == boundary && idsAtBoundary.Contains(wooOrder.Id)) || (m == key && idsAtKey.Contains(wooOrder.Id))))
                {
                    continue;
                }

                fresh++;
                if (modified is { } read)
                {
                    Advance(ref key, idsAtKey, read, wooOrder.Id);
                    Advance(ref boundary, idsAtBoundary, read, wooOrder.Id);
                }

                await MapAsync(wooOrder, orders, refusals, cancellationToken).ConfigureAwait(false);
            }

            var checkpoint = boundary is { } b ? new WooCheckpoint(b, [.. idsAtBoundary]).ToCheckpoint() : from;
            if (fresh > 0)
            {
                yield return new OrderBatch(orders, refusals, checkpoint);
            }

            if (!result.HasNext || result.Orders.Count == 0)
            {
                yield break;
            }

            if (fresh > 0 && key is { } last && (after is null || last - Resolution > after))
            {
                after = last - Resolution;
                page = 1;
            }
            else
            {
                page++;
            }
        }
    }

    private static void Advance(ref DateTimeOffset? instant, HashSet<long> ids, DateTimeOffset read, long id)
    {
        if (instant is null || read > instant)
        {
            instant = read;
            ids.Clear();
        }

        if (read == instant)
        {
            ids.Add(id);
        }
    }

    private async Task MapAsync(WooOrder wooOrder, List<Order> orders, List<Refusal> refusals, CancellationToken cancellationToken)
    {
        if (WooCommerceOrderMapper.IsSkipped(wooOrder))
        {
            return;
        }

        // The order JSON only summarizes refunds (id, total); the refunded quantities are in the refund objects,
        // so they are fetched for the few orders that have any.
        IReadOnlyList<WooRefund> refunds = wooOrder.Refunds is { Count: > 0 }
            ? await store.GetRefundsAsync(wooOrder.Id, cancellationToken).ConfigureAwait(false)
            : [];
        var draft = WooCommerceOrderMapper.ToDraft(wooOrder, refunds, options.Mapping);
        if (draft is null)
        {
            return;
        }

        var normalized = OrderNormalizer.Normalize(draft);
        if (normalized.Order is { } order)
        {
            orders.Add(order);
            return;
        }

        logger.LogWarning("WooCommerce order {OrderId} refused: {Reason}", wooOrder.Id, normalized.RefusalReason);
        refusals.Add(new Refusal(
            normalized.RefusalReason ?? "refused",
            string.Create(CultureInfo.InvariantCulture, $"order {wooOrder.Id} (modified {wooOrder.DateModifiedGmt})"),
            JsonSerializer.Serialize(wooOrder, WooJsonContext.Default.WooOrder),
            wooOrder.Id.ToString(CultureInfo.InvariantCulture)));
    }
}
