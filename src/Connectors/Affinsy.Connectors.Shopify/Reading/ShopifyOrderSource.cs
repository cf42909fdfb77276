using System.Globalization;
using System.Runtime.CompilerServices;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Connectors.Shopify.Mapping;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Http;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Reads a shop's orders: a bulk export the first time (mode bulk), then GraphQL pages of orders updated since
/// the checkpoint minus the lookback, sorted by updatedAt so each page's last order is a safe watermark; or the
/// REST API with the same window. Upserts on Affinsy's side make the overlap harmless. Public (built only by the
/// <c>shopify</c> plugin) so that the <c>shopify</c> benchmark reads the last bulk read's figures below.
/// </summary>
public sealed class ShopifyOrderSource : IOrderSource, ICheckableSource
{
    /// <summary>The source's <c>type:</c>.</summary>
    public const string Type = "shopify";

    /// <summary>The oldest order a token without read_all_orders can see is at most this old (60 days, a day's slack).</summary>
    private static readonly TimeSpan RecentOnlyOldest = TimeSpan.FromDays(61);

    /// <summary>...and at least this old (three days' slack for days without sales): a younger oldest order means a younger shop.</summary>
    private static readonly TimeSpan RecentOnlyNewest = TimeSpan.FromDays(57);

    private readonly ShopifySourceOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ISourceHttpClients httpClients;

    internal ShopifyOrderSource(ShopifySourceOptions options, SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        this.options = options;
        httpClients = context.HttpClients;
        time = context.TimeProvider;
        logger = context.LoggerFactory.CreateLogger<ShopifyOrderSource>();
    }

    /// <summary>Temporary disk the last bulk result needed (for benchmarks).</summary>
    public long BulkSpillBytes { get; private set; }

    /// <summary>When the last bulk export's start request was about to be sent, on the context's <see cref="TimeProvider"/> (0: none or resumed), for benchmarks.</summary>
    public long BulkStartRequestedAt { get; private set; }

    /// <summary>When the last bulk result was opened, on the context's <see cref="TimeProvider"/> (0: none), for benchmarks.</summary>
    public long BulkResultOpenedAt { get; private set; }

    /// <summary>How long the last bulk result's download and spill took (for benchmarks).</summary>
    public TimeSpan BulkSpillTime { get; private set; }

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var checkpoint = ShopifyCheckpoint.Start(from);
        using var http = CreateHttp();
        var client = new ShopifyClient(http, options.BaseUrl, options.Shop, options.ApiVersion, options.AccessToken, time, logger);
        var skips = new SkipCounter();
        var builder = new BatchBuilder(options.Mapping, skips);
        if (ApiVersionCalendar.Warning(options.ApiVersion, time.GetUtcNow()) is { } versionWarning)
        {
            logger.LogWarning("Shopify {Shop}: api_version {Warning}.", options.Shop, versionWarning);
        }

        var backfill = checkpoint.UpdatedAt is null;
        var began = time.GetUtcNow();

        if (options.Mode == ShopifyReadMode.Rest)
        {
            await foreach (var batch in RestAsync(client, builder, checkpoint, cancellationToken).ConfigureAwait(false))
            {
                yield return batch;
            }
        }
        else
        {
            if (options.Mode == ShopifyReadMode.Bulk && (checkpoint.UpdatedAt is null || checkpoint.BulkOperationId is not null))
            {
                var export = new BulkExport(client, options, time, logger);
                await foreach (var batch in export.ReadAsync(checkpoint, builder, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }

                checkpoint = new ShopifyCheckpoint { UpdatedAt = export.Watermark };
                BulkSpillBytes = export.SpillBytes;
                (BulkStartRequestedAt, BulkResultOpenedAt, BulkSpillTime) = (export.StartRequestedAt, export.ResultOpenedAt, export.SpillTime);
            }

            // After a bulk export this catches what changed while it ran (from its start minus the lookback).
            await foreach (var batch in GraphQLAsync(client, builder, checkpoint, cancellationToken).ConfigureAwait(false))
            {
                yield return batch;
            }
        }

        if (backfill)
        {
            WarnIfRecentOnly(began, builder.OldestCreated);
        }

        logger.LogInformation(
            "Shopify {Shop}: skipped {Cancelled} cancelled, {Test} test and {NothingLeft} fully refunded/removed orders (not errors; see include_cancelled, include_test_orders).",
            options.Shop, skips.Total[SkipReason.Cancelled], skips.Total[SkipReason.Test], skips.Total[SkipReason.Refunded]);
    }

    /// <summary>The shop, the token's scopes, the API version served and (graphql, rest) a first page; never a bulk operation.</summary>
    public async Task<IReadOnlyList<CheckFinding>> CheckAsync(CancellationToken cancellationToken)
    {
        using var http = CreateHttp();
        var client = new ShopifyClient(http, options.BaseUrl, options.Shop, options.ApiVersion, options.AccessToken, time, logger);
        return await new ShopifySourceCheck(options, client, time).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A client on the process's <c>shopify</c> pool; disposing it leaves the pool open.</summary>
    private HttpClient CreateHttp() => httpClients.CreateClient(ShopifyHttp.Client);

    private async IAsyncEnumerable<OrderBatch> GraphQLAsync(ShopifyClient client, BatchBuilder builder, ShopifyCheckpoint from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watermark = from.UpdatedAt;
        var filter = From(watermark) is { } since ? $"updated_at:>='{Iso(since)}'" : null;
        var query = ShopifyQueries.Orders(options.LineItemsPerOrder);
        string? after = null;
        while (true)
        {
            var response = await client.GraphQLAsync(query, new GqlVariables { First = options.PageSize, After = after, Query = filter },
                GraphQLJsonContext.Default.GqlResponseGqlOrdersData, cancellationToken).ConfigureAwait(false);
            var connection = response.Data?.Orders
                ?? throw new ShopifyApiException($"Shopify GraphQL answered no orders connection for shop {options.Shop}.");
            foreach (var edge in connection.Edges ?? [])
            {
                if (edge.Node is not { } node)
                {
                    continue;
                }

                var order = ShopifyOrderJson.FromGraphQL(node, null);
                var tooMany = node.LineItems?.PageInfo?.HasNextPage == true
                    ? $"it has more than {options.LineItemsPerOrder} line items, more than one GraphQL page reads; it is sent whole by a bulk export (reset the checkpoint with mode: bulk)"
                    : null;
                builder.Add(order, $"GraphQL order {node.Id}", () => BatchBuilder.Json(node), tooMany);
                watermark = Later(watermark, order.UpdatedAt);
            }

            yield return builder.Take(watermark is null ? null : new ShopifyCheckpoint { UpdatedAt = watermark }.ToCheckpoint());
            if (connection.PageInfo is not { HasNextPage: true, EndCursor: { } cursor })
            {
                yield break;
            }

            after = cursor;
        }
    }

    /// <summary>
    /// REST pages by the <c>Link</c> header, in order id order: Shopify documents no sort for the orders list (shopify.dev
    /// REST Admin "Order" resource, "Retrieves a list of orders": no <c>order</c> parameter, no default order) except that
    /// <c>since_id</c> sorts by id (changelog 2017-09-18), so every pass asks with <c>since_id</c> (0 at a pass's start).
    /// Each page's checkpoint keeps the watermark and records the pass: the last id handed over (<c>rest_after_id</c>),
    /// the highest updated_at seen and when the pass began, so a run stopped mid-pass resumes after that id instead of
    /// reading the pass again. The last page moves the watermark to the highest updated_at seen, but never past the
    /// pass's start: an order already passed that changes during a long pass keeps its id and is not listed again, and
    /// the next sync, reading from the pass's start less the lookback, catches it.
    /// </summary>
    private async IAsyncEnumerable<OrderBatch> RestAsync(ShopifyClient client, BatchBuilder builder, ShopifyCheckpoint from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A new pass keeps only the watermark (nothing of a bulk export a mode change left behind).
        var pass = from.RestAfterId is null ? new ShopifyCheckpoint { UpdatedAt = from.UpdatedAt, RestPassStartedAt = time.GetUtcNow() } : from;
        var (afterId, seen) = (pass.RestAfterId ?? 0, pass.RestSeen);
        var first = string.Create(CultureInfo.InvariantCulture, $"orders.json?status=any&limit={options.PageSize}&since_id={afterId}");
        if (From(from.UpdatedAt) is { } since)
        {
            first += "&updated_at_min=" + Uri.EscapeDataString(Iso(since));
        }

        Uri? url = new(client.AdminBase, first);
        while (url is not null)
        {
            var (page, next) = await client.RestOrdersAsync(url, cancellationToken).ConfigureAwait(false);
            foreach (var raw in page.Orders ?? [])
            {
                var order = ShopifyOrderJson.FromRest(raw);
                builder.Add(order, $"REST order {raw.Id}", () => BatchBuilder.Json(raw));
                (afterId, seen) = (Math.Max(afterId, raw.Id), Later(seen, order.UpdatedAt));
            }

            url = next;
            pass = pass with { RestAfterId = afterId, RestSeen = seen };
            yield return builder.Take(url is not null ? pass.ToCheckpoint() : PassEnd(from, pass));
        }
    }

    /// <summary>The checkpoint a REST pass ends with: the watermark moved to what it saw, capped at its start; null when nothing changes.</summary>
    private static Checkpoint? PassEnd(ShopifyCheckpoint from, ShopifyCheckpoint pass)
    {
        var seen = pass.RestSeen is { } s && pass.RestPassStartedAt is { } began && s > began ? began : pass.RestSeen;
        var end = new ShopifyCheckpoint { UpdatedAt = Later(from.UpdatedAt, seen) };
        return end == from ? null : end.ToCheckpoint();
    }

    /// <summary>
    /// Without <c>read_all_orders</c> Shopify silently returns only orders created in the last 60 days (shopify.dev,
    /// "read_all_orders" in the access scopes list). The tell-tale is a backfill that asked for more (no start_date, or
    /// one more than 61 days before it began) whose oldest order is about 60 days old: between
    /// <see cref="RecentOnlyNewest"/> and <see cref="RecentOnlyOldest"/> before the sync began. A shop whose oldest order
    /// is younger (a new shop) is not warned; a shop without the scope whose orders from the days just before the cut-off
    /// happen to be missing (no sales that week) cannot be told apart from a new one and is not warned either.
    /// </summary>
    private void WarnIfRecentOnly(DateTimeOffset began, DateTimeOffset? oldest)
    {
        var askedForMore = options.StartDate is not { } start || start < began - RecentOnlyOldest;
        if (askedForMore && oldest is { } first && first >= began - RecentOnlyOldest && first <= began - RecentOnlyNewest)
        {
            logger.LogWarning(
                "Shopify {Shop}: the oldest order read was created {Oldest:yyyy-MM-dd}, about 60 days ago, but start_date asks for {Asked}. "
                + "Without the read_all_orders scope Shopify returns only the last 60 days of orders: grant read_all_orders, reset the checkpoint and sync again.",
                options.Shop, first, options.StartDate is { } s ? s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "the whole history");
        }
    }

    /// <summary>Where a read starts: the checkpoint minus the lookback; on the first sync start_date (null: everything).</summary>
    private DateTimeOffset? From(DateTimeOffset? watermark) => watermark is { } since ? since - options.Lookback : options.StartDate;

    internal static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);
}
