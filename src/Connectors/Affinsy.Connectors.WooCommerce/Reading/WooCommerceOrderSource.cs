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
        var position = new KeysetPosition(start);

        // The lookback re-reads what was acknowledged recently, to catch orders whose modification was saved with
        // an earlier time than the checkpoint (long requests, clock skew, plugins writing dates): re-sending is an upsert.
        // The first sync starts at start_date when one is set (modified_after is strict, hence the second).
        DateTimeOffset? after = start is not null ? start.ModifiedGmt - options.Lookback - Resolution
            : options.StartDate is { } startDate ? startDate - Resolution
            : null;
        var page = 1;
        var read = new ReadProgress();

        // The next page is requested as soon as this one says what to ask for, before this one is mapped (its refunds
        // fetched) and handed to the sink: on a paced host the request slots are then used back to back instead of
        // waiting for the previous page's mapping and the sink. One page ahead at most, so memory stays one page.
        using var lookahead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<WooOrderPage>? next = store.GetOrdersAsync(new WooOrderQuery(after, options.Statuses, options.PageSize, page), lookahead.Token);
        try
        {
            while (next is not null)
            {
                var pending = next;
                next = null;
                var result = await pending.ConfigureAwait(false);
                var fresh = position.Fresh(result.Orders);
                var checkpoint = position.Checkpoint(from);
                var progress = read.After(result, page, options.PageSize, fresh.Count);
                if (result.HasNext && result.Orders.Count > 0)
                {
                    if (fresh.Count > 0 && position.Key is { } last && (after is null || last - Resolution > after))
                    {
                        after = last - Resolution;
                        page = 1;
                    }
                    else
                    {
                        page++;
                    }

                    next = store.GetOrdersAsync(new WooOrderQuery(after, options.Statuses, options.PageSize, page), lookahead.Token);
                }

                if (fresh.Count > 0)
                {
                    yield return await MapPageAsync(fresh, checkpoint, cancellationToken).ConfigureAwait(false) with { Progress = progress };
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                // The reader stopped early (cancelled, or the sink failed): drop the page read ahead.
                await lookahead.CancelAsync().ConfigureAwait(false);
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Maps one page in order. The refund reads of its orders are all started at once: the client's pacing spaces
    /// them, and none waits for the previous one's answer.
    /// </summary>
    private async Task<OrderBatch> MapPageAsync(List<WooOrder> page, Checkpoint? checkpoint, CancellationToken cancellationToken)
    {
        var refunds = new Task<IReadOnlyList<WooRefund>>?[page.Count];
        for (var i = 0; i < page.Count; i++)
        {
            // The order JSON only summarizes refunds (id, total); the refunded quantities are in the refund objects,
            // so they are fetched for the few orders that have any.
            if (!WooCommerceOrderMapper.IsSkipped(page[i]) && page[i].Refunds is { Count: > 0 })
            {
                refunds[i] = store.GetRefundsAsync(page[i].Id, cancellationToken);
            }
        }

        var drafts = new List<OrderDraft>(page.Count);
        SkipCounts? skipped = null;
        try
        {
            for (var i = 0; i < page.Count; i++)
            {
                if (WooCommerceOrderMapper.IsSkipped(page[i]))
                {
                    (skipped ??= new SkipCounts()).Add(WooCommerceOrderMapper.SkipReasonOf(page[i].Status));
                    continue;
                }

                Map(page[i], refunds[i] is { } pending ? await pending.ConfigureAwait(false) : [], drafts);
            }
        }
        finally
        {
            // A failed refund read fails the page; the others are awaited so none runs on unobserved.
            foreach (var pending in refunds)
            {
                if (pending is not null)
                {
                    await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }

        return new OrderBatch(drafts, [], checkpoint) { Skipped = skipped };
    }

    /// <summary>Maps one order to a draft; its origin (the order as JSON) is made only when the pipeline will refuse it.</summary>
    private void Map(WooOrder wooOrder, IReadOnlyList<WooRefund> refunds, List<OrderDraft> drafts)
    {
        var draft = WooCommerceOrderMapper.ToDraft(wooOrder, refunds, options.Mapping);
        if (draft is null)
        {
            return;
        }

        if (draft.WillBeRefused)
        {
            logger.LogWarning("WooCommerce order {OrderId} will be refused and dead-lettered.", wooOrder.Id);
            draft.Origin = RecordOrigin.Of(
                string.Create(CultureInfo.InvariantCulture, $"order {wooOrder.Id} (modified {wooOrder.DateModifiedGmt})"),
                wooOrder.RawJson ?? JsonSerializer.Serialize(wooOrder, WooJsonContext.Default.WooOrder));
        }

        drafts.Add(draft);
    }
}
