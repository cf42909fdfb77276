using Affinsy.Reference.Config;
using Affinsy.Reference.Http;
using Affinsy.Reference.Reports;
using Affinsy.Reference.Storage;
using Affinsy.Reference.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Affinsy.Reference;

/// <summary>How to start a reference server.</summary>
public sealed record ReferenceServerOptions
{
    /// <summary>Kestrel URL; port 0 picks a free loopback port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>Where <c>reference.db</c> lives; null keeps everything in memory (unit tests only).</summary>
    public string? DataDirectory { get; init; }

    public ReferenceSettings Settings { get; init; } = ReferenceSettings.LocalDefault();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Logging setup; the default logs warnings and errors to the console.</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }
}

/// <summary>
/// The reference Affinsy API v1 server on Kestrel: storage, limits, reports and webhooks as
/// AFFINSY_API.md says. It is what the end-to-end tests run against and what <c>base_url: embedded</c> starts.
/// </summary>
public sealed partial class ReferenceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ReferenceStore _store;
    private readonly WebhookDispatcher _webhooks;
    private readonly ReportRunner _reports;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private ReferenceServer(WebApplication app, ReferenceStore store, WebhookDispatcher webhooks, ReportRunner reports, CancellationTokenSource stopping, Uri baseAddress)
    {
        _app = app;
        _store = store;
        _webhooks = webhooks;
        _reports = reports;
        _stopping = stopping;
        BaseAddress = baseAddress;
    }

    /// <summary>Scheme, host and port, e.g. <c>http://127.0.0.1:5099/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The API base path <c>/api/v1/</c> on this server.</summary>
    public Uri ApiBase => new(BaseAddress, "api/v1/");

    /// <summary>What the server stored (landed lines, row counters, the ingest path without HTTP), read by tests and benchmarks.</summary>
    public ReferenceStore Store => _store;

    /// <summary>The request gate, whose counters tests read.</summary>
    public ApiGate Gate { get; private init; } = null!;

    /// <summary>Ingests waiting out their simulated ingest delay (tests wait on it instead of sleeping).</summary>
    internal CountSignal IngestsDelaying { get; private init; } = null!;

    /// <summary>The ingest endpoint, whose counters benchmarks read.</summary>
    public IngestEndpoint Ingest { get; private init; } = null!;

    /// <summary>Starts the server on the options' URLs with its store (in memory, or under <c>DataDirectory</c>) and background report and webhook work.</summary>
    public static async Task<ReferenceServer> StartAsync(ReferenceServerOptions options, CancellationToken cancellationToken)
    {
        var app = Build(options);
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Affinsy.Reference");
        var time = options.Time;
        var settings = options.Settings;
        var store = ReferenceStore.Open(options.DataDirectory, time);
        var webhooks = new WebhookDispatcher(store, settings.Webhooks, time, log);
        var reports = new ReportRunner(store, webhooks, time, log);
        var stopping = new CancellationTokenSource();
        var gate = new ApiGate(settings, new RollingWindowLimiter(settings.Limits.RequestsPerWindow, TimeSpan.FromSeconds(settings.Limits.WindowSeconds), time), new FaultInjector(settings.Faults), log);
        var faults = new FaultInjector(settings.Faults with { Seed = settings.Faults.Seed + 1 });
        var delaying = new CountSignal();
        var ingest = new IngestEndpoint(store, settings, new InFlightCounter(), faults, time, log, delaying, stopping.Token);
        var queries = new QueryEndpoints(store, reports, time, log);

        AnswerUncaughtErrors(app, log);
        MapApi(app, gate, ingest, queries, new RowsEndpoint(store));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await reports.DisposeAsync();
            await webhooks.DisposeAsync();
            store.Dispose();
            stopping.Dispose();
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        LogListening(log, baseAddress);
        return new ReferenceServer(app, store, webhooks, reports, stopping, baseAddress) { IngestsDelaying = delaying, Gate = gate, Ingest = ingest };
    }

    /// <summary>Kestrel on the options' URLs (80 MiB bodies: the contract's 64 MiB plus headroom), the options' logging.</summary>
    private static WebApplication Build(ReferenceServerOptions options)
    {
        // No appsettings.json watch: it is a recursive FileSystemWatcher on the working directory, which wakes on every
        // write beneath it (SQLite's WAL included) and costs inotify instances. appsettings.json is still read once at start.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 80L * 1024 * 1024;
            k.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        if (options.Logging is { } configure)
        {
            configure(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }

    /// <summary>A bad request the server itself rejects, or an exception no endpoint caught, is the contract's error JSON.</summary>
    private static void AnswerUncaughtErrors(WebApplication app, ILogger log) =>
        app.Use(async (ctx, next) =>
        {
            try
            {
                await next(ctx);
            }
            catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
            {
                await Respond.Error(ctx, e.StatusCode, e.StatusCode == 413 ? "Request body too large." : "Bad request: " + e.Message);
            }
            catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
            {
                await Respond.ServerError(ctx, log, 500, "Internal server error.", e);
            }
        });

    /// <summary>The contract's endpoints under <c>/api/v1</c>, each behind the gate; anything else is a 404 that says where the API is.</summary>
    private static void MapApi(WebApplication app, ApiGate gate, IngestEndpoint ingest, QueryEndpoints queries, RowsEndpoint rows)
    {
        var api = app.MapGroup("/api/v1");
        api.AddEndpointFilter(async (ctx, next) =>
        {
            await gate.InvokeAsync(ctx.HttpContext, async c => await next(ctx));
            return Results.Empty;
        });
        api.MapPost("/data/orders", (HttpContext c) => ingest.HandleAsync(c));
        api.MapGet("/data/imports/{importId}", (HttpContext c, string importId) => queries.GetImport(c, importId));
        api.MapGet("/datasets", (HttpContext c) => queries.ListDatasets(c));
        api.MapGet("/datasets/{datasetId}", (HttpContext c, string datasetId) => queries.GetDataset(c, datasetId));
        api.MapGet("/datasets/{datasetId}/rows", (HttpContext c, string datasetId) => rows.HandleAsync(c, datasetId));
        api.MapDelete("/datasets/{datasetId}", (HttpContext c, string datasetId) => queries.DeleteDataset(c, datasetId));
        api.MapPost("/reports", (HttpContext c) => queries.CreateReport(c));
        api.MapGet("/reports", (HttpContext c) => queries.ListReports(c));
        api.MapGet("/reports/{reportId}", (HttpContext c, string reportId) => queries.GetReport(c, reportId));
        api.MapGet("/templates", (HttpContext c) => queries.Templates(c));
        app.MapFallback((HttpContext c) => Respond.Error(c, 404, $"No such endpoint: {c.Request.Method} {c.Request.Path}. The API lives under /api/v1."));
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM, Ctrl+C) and has drained.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>The web host's configuration, for tests.</summary>
    internal IConfiguration Configuration => _app.Configuration;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Kestrel drains in-flight requests first; then background work stops and the store closes.
        await _app.StopAsync(CancellationToken.None);
        await _stopping.CancelAsync();
        await _reports.DisposeAsync();
        await _webhooks.DisposeAsync();
        _store.Dispose();
        _stopping.Dispose();
        await _app.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference Affinsy server listening on {Url}")]
    private static partial void LogListening(ILogger log, Uri url);
}
