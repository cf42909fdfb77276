using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Testing.Shopify;

/// <summary>
/// A Shopify Admin API stand-in on loopback: a seeded store behind GraphQL (orders paging by updatedAt with cursors,
/// cost-based throttling, bulk operations with a JSONL result) and REST (orders with Link paging and a leaky-bucket
/// call limit), over a <see cref="TimeProvider"/> so throttling can run on a <see cref="VirtualClock"/>. It recognises
/// only the query shapes the connector sends. Faults: 5xx or any status, THROTTLED answers, bulk operations that end
/// FAILED / CANCELED / EXPIRED / with partial data only, expired or corrupt result files, updates with any updatedAt.
/// Versions follow shopify.dev "About Shopify API versioning": a retired version is served as the oldest supported one,
/// named in <c>X-Shopify-API-Version</c> (<see cref="EmulatedVersions"/>), and what differs by version (bulk grouping,
/// concurrent bulk queries) follows the version served, not the one asked for.
/// </summary>
public sealed class ShopifyEmulator : IAsyncDisposable
{
    private const int OrdersQueryCostPerOrder = 3;
    private readonly WebApplication app;
    private readonly TimeProvider clock;
    private readonly ShopifyEmulatorOptions options;
    private readonly Lock gate = new();
    private readonly Dictionary<long, EmulatedOrder> orders;
    private readonly CostBucket points;
    private readonly CostBucket calls;
    private readonly Queue<int> statusFaults = new();
    private readonly List<EmulatedBulkOperation> bulkOperations = [];
    private readonly List<string> orderFilters = [];
    private EmulatedOrder[]? sorted;
    private int throttleFaults;
    private BulkFault? failNextBulk;
    private long? corruptNextBulkAtLine;
    private bool resultsExpired;
    private (int Count, int Status)? faultsAfterBulkStart;
    private bool breakNextBulkDownload;
    private readonly List<string> resultFiles = [];
    private readonly List<string> servedVersions = [];

    private ShopifyEmulator(WebApplication app, TimeProvider clock, ShopifyEmulatorOptions options)
    {
        this.app = app;
        this.clock = clock;
        this.options = options;
        orders = ShopifySeed.Generate(options.Orders, clock.GetUtcNow(), options.Seed).ToDictionary(o => o.Id);
        points = new CostBucket(clock, options.CostBucket, options.CostRestorePerSecond);
        calls = new CostBucket(clock, options.CallBucket, options.CallBucket / 20.0);
    }

    /// <summary>Where the connector's <c>base_url</c> points.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public ShopifyEmulatorOptions Options => options;

    /// <summary>Requests that arrived when the bucket could not afford them (THROTTLED or 429 answers not injected).</summary>
    public int ThrottleViolations { get; private set; }

    public int GraphQLRequests { get; private set; }

    /// <summary>Wall time spent building bulk export files: Shopify's side of a bulk export, not the connector's.</summary>
    public TimeSpan ExportTime { get; private set; }

    public int RestRequests { get; private set; }

    /// <summary>GraphQL points actually spent (the sum of actualQueryCost).</summary>
    public double PointsSpent { get; private set; }

    public int BulkOperationsStarted
    {
        get
        {
            lock (gate)
            {
                return bulkOperations.Count;
            }
        }
    }

    /// <summary>The <c>query</c> filter of each GraphQL orders page request, in order (null: no filter).</summary>
    public IReadOnlyList<string> OrderFilters
    {
        get
        {
            lock (gate)
            {
                return [.. orderFilters];
            }
        }
    }

    /// <summary>The store as it is now.</summary>
    public IReadOnlyList<EmulatedOrder> Orders
    {
        get
        {
            lock (gate)
            {
                return [.. Sorted()];
            }
        }
    }

    public static async Task<ShopifyEmulator> StartAsync(ShopifyEmulatorOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new ShopifyEmulator(app, clock, options);
        app.MapPost("/admin/api/{version}/graphql.json", emulator.GraphQLAsync);
        app.MapGet("/admin/api/{version}/orders.json", emulator.RestOrdersAsync);
        app.MapGet("/bulk-results/{number}.jsonl", emulator.BulkResultAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return emulator;
    }

    /// <summary>The next <paramref name="count"/> API requests answer <paramref name="status"/>.</summary>
    public void FailNextRequests(int count, int status = 503)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                statusFaults.Enqueue(status);
            }
        }
    }

    /// <summary>Once the next bulk operation has started, the next <paramref name="count"/> API requests answer <paramref name="status"/>.</summary>
    public void FailRequestsAfterNextBulkStart(int count, int status = 500)
    {
        lock (gate)
        {
            faultsAfterBulkStart = (count, status);
        }
    }

    /// <summary>Drops every pending status fault.</summary>
    public void ClearRequestFaults()
    {
        lock (gate)
        {
            statusFaults.Clear();
        }
    }

    /// <summary>The next bulk result download sends half the file, then breaks the connection.</summary>
    public void BreakNextBulkDownload()
    {
        lock (gate)
        {
            breakNextBulkDownload = true;
        }
    }

    /// <summary>Result URLs answer 403 from now on, as an expired pre-signed storage URL does (results are kept seven days).</summary>
    public void ExpireBulkResults(bool expired = true)
    {
        lock (gate)
        {
            resultsExpired = expired;
        }
    }

    /// <summary>The next bulk operation's result file has a line that is not JSON at <paramref name="line"/>.</summary>
    public void CorruptNextBulkResult(long line)
    {
        lock (gate)
        {
            corruptNextBulkAtLine = line;
        }
    }

    /// <summary>Adds (or replaces) an order, for fixtures modelled on a documented example.</summary>
    public void Put(EmulatedOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        lock (gate)
        {
            orders[order.Id] = order;
            sorted = null;
        }
    }

    /// <summary>Version served for each API request, in order (from the path, after falling forward).</summary>
    public IReadOnlyList<string> ServedVersions
    {
        get
        {
            lock (gate)
            {
                return [.. servedVersions];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> GraphQL requests answer THROTTLED whatever the bucket holds.</summary>
    public void ThrottleNextQueries(int count)
    {
        lock (gate)
        {
            throttleFaults += count;
        }
    }

    /// <summary>The next bulk operation started ends with <paramref name="status"/> (FAILED, CANCELED, EXPIRED) and this error code.</summary>
    public void FailNextBulkOperation(string? errorCode = "INTERNAL_SERVER_ERROR", string status = "FAILED", bool partialOnly = false)
    {
        lock (gate)
        {
            failNextBulk = new BulkFault(status, errorCode, partialOnly);
        }
    }

    /// <summary>
    /// Changes an order and sets its updatedAt (now by default; an earlier time models a late update, a change
    /// that becomes visible only after a reader has passed its timestamp).
    /// </summary>
    public EmulatedOrder Update(long id, Func<EmulatedOrder, EmulatedOrder> change, DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (gate)
        {
            var updated = change(orders[id]) with { UpdatedAt = ShopifySeed.Whole(updatedAt ?? clock.GetUtcNow()) };
            orders[id] = updated;
            sorted = null;
            return updated;
        }
    }

    private EmulatedOrder[] Sorted() =>
        sorted ??= [.. orders.Values.OrderBy(o => o.UpdatedAt).ThenBy(o => o.Id)];

    private int? TakeStatusFault()
    {
        lock (gate)
        {
            return statusFaults.Count > 0 ? statusFaults.Dequeue() : null;
        }
    }

    private async Task<bool> RejectAsync(HttpContext context, string version)
    {
        if (EmulatedVersions.Serve(version, clock.GetUtcNow()) is not { } served)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("{\"errors\":\"Not Found\"}", context.RequestAborted).ConfigureAwait(false);
            return true;
        }

        context.Response.Headers["X-Shopify-API-Version"] = served;
        context.Items["served"] = served;
        lock (gate)
        {
            servedVersions.Add(served);
        }

        if (context.Request.Headers["X-Shopify-Access-Token"] != options.AccessToken)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}", context.RequestAborted).ConfigureAwait(false);
            return true;
        }

        if (TakeStatusFault() is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"{{\"errors\":\"emulated {status}\"}}", context.RequestAborted).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async Task GraphQLAsync(HttpContext context, string version)
    {
        lock (gate)
        {
            GraphQLRequests++;
        }

        if (await RejectAsync(context, version).ConfigureAwait(false))
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var query = request.RootElement.GetProperty("query").GetString() ?? string.Empty;
        var variables = request.RootElement.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            lock (gate)
            {
                Answer(w, query, variables, (string)context.Items["served"]!);
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private void Answer(Utf8JsonWriter w, string query, JsonElement variables, string served)
    {
        var isOrders = query.Contains("orders(first:", StringComparison.Ordinal) && query.Contains("sortKey: UPDATED_AT", StringComparison.Ordinal);
        var first = isOrders ? Variable(variables, "first") is { } f ? int.Parse(f, CultureInfo.InvariantCulture) : 50 : 0;
        double requested = isOrders ? 2 + (first * OrdersQueryCostPerOrder) : query.Contains("bulkOperationRunQuery", StringComparison.Ordinal) ? 10 : 1;
        w.WriteStartObject();
        var injected = throttleFaults > 0;
        if (injected || (options.Throttle && !points.TryTake(requested)))
        {
            if (injected)
            {
                throttleFaults--;
            }
            else
            {
                ThrottleViolations++;
            }

            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("message", "Throttled");
            w.WriteStartObject("extensions");
            w.WriteString("code", "THROTTLED");
            w.WriteString("documentation", "https://shopify.dev/api/usage/rate-limits");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            Cost(w, requested, null);
            w.WriteEndObject();
            return;
        }

        double actual = requested;
        w.WriteStartObject("data");
        if (isOrders)
        {
            actual = WriteOrdersPage(w, first, Variable(variables, "after"), Variable(variables, "query"));
        }
        else if (query.Contains("bulkOperationRunQuery", StringComparison.Ordinal))
        {
            RunBulk(w, Variable(variables, "bulkQuery") ?? query, Variable(variables, "groupObjects"), served);
        }
        else if (query.Contains("currentBulkOperation", StringComparison.Ordinal))
        {
            w.WritePropertyName("currentBulkOperation");
            WriteOperation(w, bulkOperations.Count == 0 ? null : bulkOperations[^1]);
        }
        else if (query.Contains("node(id: $id)", StringComparison.Ordinal) && Variable(variables, "id") is { } id)
        {
            w.WritePropertyName("node");
            WriteOperation(w, bulkOperations.Find(o => o.Id == id));
        }
        else
        {
            throw new InvalidOperationException("The Shopify emulator does not understand this query: " + query);
        }

        w.WriteEndObject();
        if (options.Throttle)
        {
            points.Give(requested - actual);
        }

        PointsSpent += actual;
        Cost(w, requested, actual);
        w.WriteEndObject();
    }

    private void Cost(Utf8JsonWriter w, double requested, double? actual)
    {
        w.WriteStartObject("extensions");
        w.WriteStartObject("cost");
        w.WriteNumber("requestedQueryCost", requested);
        if (actual is { } a)
        {
            w.WriteNumber("actualQueryCost", a);
        }
        else
        {
            w.WriteNull("actualQueryCost");
        }

        w.WriteStartObject("throttleStatus");
        w.WriteNumber("maximumAvailable", options.Throttle ? points.Size : 1e9);
        w.WriteNumber("currentlyAvailable", options.Throttle ? Math.Floor(points.Available) : 1e9);
        w.WriteNumber("restoreRate", options.Throttle ? points.RestorePerSecond : 1e9);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private double WriteOrdersPage(Utf8JsonWriter w, int first, string? after, string? filter)
    {
        orderFilters.Add(filter ?? "(none)");
        var since = filter is null ? DateTimeOffset.MinValue : ParseUpdatedAtFilter(filter);
        var all = Sorted();
        var start = 0;
        if (after is not null)
        {
            var (ticks, id) = DecodeCursor(after);
            start = Array.FindIndex(all, o => o.UpdatedAt.UtcTicks > ticks || (o.UpdatedAt.UtcTicks == ticks && o.Id > id));
            start = start < 0 ? all.Length : start;
        }

        var page = all.Skip(start).Where(o => o.UpdatedAt >= since).Take(first + 1).ToList();
        var hasNext = page.Count > first;
        if (hasNext)
        {
            page.RemoveAt(page.Count - 1);
        }

        w.WriteStartObject("orders");
        w.WriteStartObject("pageInfo");
        w.WriteBoolean("hasNextPage", hasNext);
        if (page.Count > 0)
        {
            w.WriteString("endCursor", EncodeCursor(page[^1]));
        }
        else
        {
            w.WriteNull("endCursor");
        }

        w.WriteEndObject();
        w.WriteStartArray("edges");
        foreach (var order in page)
        {
            w.WriteStartObject();
            w.WritePropertyName("node");
            OrderJsonWriter.GraphQLNode(w, order, options.MaxLineItemsPerPageOrder);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        return 2 + (page.Count * OrdersQueryCostPerOrder);
    }

    private static DateTimeOffset ParseUpdatedAtFilter(string filter)
    {
        const string prefix = "updated_at:>='";
        if (!filter.StartsWith(prefix, StringComparison.Ordinal) || !filter.EndsWith('\''))
        {
            throw new InvalidOperationException("The Shopify emulator only understands updated_at:>='ISO' filters, got: " + filter);
        }

        return DateTimeOffset.Parse(filter[prefix.Length..^1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static string EncodeCursor(EmulatedOrder o) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{o.UpdatedAt.UtcTicks}:{o.Id}")));

    private static (long Ticks, long Id) DecodeCursor(string cursor)
    {
        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string? Variable(JsonElement variables, string name) =>
        variables.ValueKind == JsonValueKind.Object && variables.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? value.GetRawText() : value.GetString()
            : null;

    private void RunBulk(Utf8JsonWriter w, string bulkQuery, string? groupObjects, string served)
    {
        var now = clock.GetUtcNow();
        w.WriteStartObject("bulkOperationRunQuery");
        if (!bulkQuery.Contains("orders", StringComparison.Ordinal) || !bulkQuery.Contains("lineItems", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The Shopify emulator only exports orders with line items, got: " + bulkQuery);
        }

        var running = bulkOperations.Where(o => o.Status(now) == "RUNNING").ToList();
        var limit = EmulatedVersions.RunsBulkQueriesConcurrently(served) ? options.ConcurrentBulkQueries : 1;
        if (running.Count >= limit)
        {
            w.WriteNull("bulkOperation");
            w.WriteStartArray("userErrors");
            w.WriteStartObject();
            w.WriteNull("field");
            w.WriteString("message", $"A bulk query operation for this app and shop is already in progress: {running[^1].Id}.");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            var created = ShopifySeed.Whole(now);
            var filter = bulkQuery.IndexOf("updated_at:>='", StringComparison.Ordinal) is var at and >= 0
                ? ParseUpdatedAtFilter(bulkQuery[at..(bulkQuery.IndexOf('\'', at + 14) + 1)])
                : DateTimeOffset.MinValue;
            EmulatedOrder[] snapshot = [.. orders.Values.Where(o => o.UpdatedAt >= filter).OrderBy(o => o.Id)];
            var grouped = groupObjects is null ? EmulatedVersions.GroupsByDefault(served) : groupObjects == "true";
            var operation = new EmulatedBulkOperation(bulkOperations.Count + 1, created, now + options.BulkDuration, snapshot, failNextBulk)
            {
                ResultFile = failNextBulk is null && snapshot.Length > 0 ? WriteResultFile(snapshot, grouped, corruptNextBulkAtLine) : null,
                Grouped = grouped,
            };
            failNextBulk = null;
            corruptNextBulkAtLine = null;
            bulkOperations.Add(operation);
            if (faultsAfterBulkStart is { } faults)
            {
                for (var i = 0; i < faults.Count; i++)
                {
                    statusFaults.Enqueue(faults.Status);
                }

                faultsAfterBulkStart = null;
            }

            w.WriteStartObject("bulkOperation");
            w.WriteString("id", operation.Id);
            w.WriteString("status", "CREATED");
            w.WriteString("createdAt", OrderJsonWriter.Iso(created));
            w.WriteEndObject();
            w.WriteStartArray("userErrors");
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private void WriteOperation(Utf8JsonWriter w, EmulatedBulkOperation? operation)
    {
        if (operation is null)
        {
            w.WriteNullValue();
            return;
        }

        var status = operation.Status(clock.GetUtcNow());
        var done = status != "RUNNING";
        var fault = done ? operation.Fault : null;
        w.WriteStartObject();
        w.WriteString("id", operation.Id);
        w.WriteString("status", status);
        if (fault?.ErrorCode is { } code)
        {
            w.WriteString("errorCode", code);
        }
        else
        {
            w.WriteNull("errorCode");
        }

        w.WriteString("objectCount", (fault is null && done ? operation.Objects : fault is not null ? operation.Objects / 2 : 0).ToString(CultureInfo.InvariantCulture));
        if (status == "COMPLETED" && fault is null && operation.Snapshot.Count > 0)
        {
            w.WriteString("url", new Uri(BaseUrl, $"bulk-results/{operation.Number}.jsonl").ToString());
        }
        else
        {
            w.WriteNull("url");
        }

        if (fault is not null && (fault.PartialOnly || status == "FAILED"))
        {
            w.WriteString("partialDataUrl", new Uri(BaseUrl, $"bulk-results/{operation.Number}.jsonl?partial=1").ToString());
        }
        else
        {
            w.WriteNull("partialDataUrl");
        }

        w.WriteString("createdAt", OrderJsonWriter.Iso(operation.CreatedAt));
        w.WriteEndObject();
    }

    private async Task BulkResultAsync(HttpContext context, long number)
    {
        EmulatedBulkOperation? operation;
        bool broken;
        bool expired;
        lock (gate)
        {
            operation = bulkOperations.Find(o => o.Number == number);
            broken = breakNextBulkDownload;
            breakNextBulkDownload = false;
            expired = resultsExpired;
        }

        if (operation?.ResultFile is not { } file || expired)
        {
            // Shopify's result URLs are pre-signed storage URLs: once expired, storage answers 403 with an XML error.
            context.Response.StatusCode = expired ? 403 : 404;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/jsonl";
        if (!broken)
        {
            // Shopify serves a finished file from storage: the download costs no export work.
            await context.Response.SendFileAsync(file, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var length = new FileInfo(file).Length;
        await context.Response.SendFileAsync(file, 0, length / 2, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    /// <summary>
    /// Builds the export's JSONL file while the operation "runs" (as Shopify does before it reports COMPLETED), so that
    /// the download is a plain file transfer and a benchmark can tell export time (Shopify's) from download time.
    /// </summary>
    private string WriteResultFile(IReadOnlyList<EmulatedOrder> snapshot, bool grouped, long? corruptAtLine)
    {
        var export = System.Diagnostics.Stopwatch.StartNew();
        var path = Path.Combine(Path.GetTempPath(), $"affinsy-shopify-bulk-{Guid.NewGuid():N}.jsonl");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            BulkFileWriter.Write(file, snapshot, grouped, corruptAtLine);
        }

        resultFiles.Add(path);
        ExportTime += export.Elapsed;
        return path;
    }

    private async Task RestOrdersAsync(HttpContext context, string version)
    {
        lock (gate)
        {
            RestRequests++;
        }

        if (await RejectAsync(context, version).ConfigureAwait(false))
        {
            return;
        }

        var q = context.Request.Query;
        string body;
        string? next = null;
        lock (gate)
        {
            if (options.Throttle && !calls.TryTake(1))
            {
                ThrottleViolations++;
                context.Response.StatusCode = 429;
                // shopify.dev "REST Admin API rate limits": a 429 carries Retry-After (seen as "2.0") and no call-limit header.
                context.Response.Headers["Retry-After"] = Math.Max(0.5, calls.SecondsUntil(1)).ToString("0.0", CultureInfo.InvariantCulture);
                body = "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}";
            }
            else
            {
                var limit = int.Parse(q["limit"].FirstOrDefault() ?? "50", CultureInfo.InvariantCulture);
                DateTimeOffset since;
                bool any;
                long afterTicks = long.MinValue, afterId = long.MinValue;
                if (q["page_info"].FirstOrDefault() is { } pageInfo)
                {
                    if (q.Keys.Any(k => k is not ("page_info" or "limit" or "fields")))
                    {
                        context.Response.StatusCode = 400;
                        body = "{\"errors\":{\"page_info\":[\"page_info may only be combined with limit and fields\"]}}";
                        goto answer;
                    }

                    var parts = Encoding.UTF8.GetString(Convert.FromBase64String(pageInfo)).Split(':');
                    since = new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero);
                    any = parts[1] == "any";
                    afterTicks = long.Parse(parts[2], CultureInfo.InvariantCulture);
                    afterId = long.Parse(parts[3], CultureInfo.InvariantCulture);
                }
                else
                {
                    since = q["updated_at_min"].FirstOrDefault() is { } min
                        ? DateTimeOffset.Parse(min, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                        : DateTimeOffset.MinValue;
                    any = q["status"].FirstOrDefault() == "any";
                }

                var page = Sorted()
                    .Where(o => o.UpdatedAt >= since && (any || o.CancelledAt is null))
                    .Where(o => o.UpdatedAt.UtcTicks > afterTicks || (o.UpdatedAt.UtcTicks == afterTicks && o.Id > afterId))
                    .Take(limit + 1).ToList();
                if (page.Count > limit)
                {
                    page.RemoveAt(page.Count - 1);
                    var last = page[^1];
                    var info = Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                        $"{since.UtcTicks}:{(any ? "any" : "open")}:{last.UpdatedAt.UtcTicks}:{last.Id}")));
                    next = new Uri(BaseUrl, $"admin/api/{version}/orders.json?limit={limit}&page_info={Uri.EscapeDataString(info)}").ToString();
                }

                var buffer = new ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteStartArray("orders");
                    foreach (var order in page)
                    {
                        OrderJsonWriter.RestOrder(w, order);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                body = Encoding.UTF8.GetString(buffer.WrittenSpan);
                if (options.Throttle)
                {
                    context.Response.Headers["X-Shopify-Shop-Api-Call-Limit"] = string.Create(CultureInfo.InvariantCulture,
                        $"{(int)Math.Ceiling(options.CallBucket - calls.Available)}/{options.CallBucket}");
                }
            }

        answer:;
        }

        // shopify.dev "Make paginated requests to the REST Admin API": Link carries rel="previous" and rel="next" URLs.
        var links = new List<string>();
        if (q.ContainsKey("page_info"))
        {
            links.Add($"<{new Uri(BaseUrl, $"admin/api/{version}/orders.json?limit={q["limit"]}&page_info=cHJldmlvdXM")}>; rel=\"previous\"");
        }

        if (next is not null)
        {
            links.Add($"<{next}>; rel=\"next\"");
        }

        if (links.Count > 0)
        {
            context.Response.Headers["Link"] = string.Join(", ", links);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        foreach (var file in resultFiles)
        {
            File.Delete(file);
        }
    }
}
