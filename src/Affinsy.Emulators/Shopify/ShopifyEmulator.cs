using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Emulators.Shopify;

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
public sealed partial class ShopifyEmulator : IAsyncDisposable
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
    private EmulatedOrder[]? newestFirst;
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
        orders = (options.Store ?? ShopifySeed.Generate(options.Orders, clock.GetUtcNow(), options.Seed)).ToDictionary(o => o.Id);
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
        // No appsettings.json watch: it is a recursive FileSystemWatcher on the working directory, which wakes on every
        // write beneath it (SQLite's WAL included) and costs inotify instances. appsettings.json is still read once at start.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(options.Urls);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.Logging.ClearProviders();
        options.Logging?.Invoke(builder.Logging);
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
            newestFirst = null;
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
            newestFirst = null;
            return updated;
        }
    }

    private EmulatedOrder[] Sorted() =>
        sorted ??= [.. orders.Values.OrderBy(o => o.UpdatedAt).ThenBy(o => o.Id)];

    /// <summary>The store by id, highest first: the REST orders list's order (see <c>ShopifyEmulator.Rest.cs</c>).</summary>
    private EmulatedOrder[] NewestFirst() =>
        newestFirst ??= [.. orders.Values.OrderByDescending(o => o.Id)];

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
