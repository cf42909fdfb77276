using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Reference.Reports;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Affinsy.Emulators.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>The emulated shop, a reference Affinsy server, SQLite state and the real sync loop, wired together.</summary>
internal sealed class ShopifyHarness : IAsyncDisposable
{
    public const string Dataset = "shop";
    private readonly TempDirectory directory = new();
    private readonly HttpClient http = new();
    private SqliteCheckpointStore? checkpoints;
    private AffinsySender? sender;

    private ShopifyHarness(VirtualClock clock, ShopifyEmulator emulator, ReferenceServer server)
    {
        Clock = clock;
        Emulator = emulator;
        Server = server;
    }

    public static DateTimeOffset Now { get; } = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    public VirtualClock Clock { get; }

    public ShopifyEmulator Emulator { get; }

    public ReferenceServer Server { get; }

    public SignallingCheckpointStore Checkpoints { get; private set; } = null!;

    public string DeadLetterDirectory => directory.Path;

    public static async Task<ShopifyHarness> StartAsync(ShopifyEmulatorOptions? options = null)
    {
        var token = TestContext.Current.CancellationToken;
        var clock = new VirtualClock(Now);
        var emulator = await ShopifyEmulator.StartAsync(options ?? new ShopifyEmulatorOptions { Orders = 300 }, clock, token);
        var server = await ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Settings = ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 1_000_000 } },
            Logging = _ => { },
        }, token);
        var harness = new ShopifyHarness(clock, emulator, server);
        harness.checkpoints = await SqliteCheckpointStore.OpenAsync(harness.directory.File("state.db"), TimeProvider.System, token);
        harness.Checkpoints = new SignallingCheckpointStore(harness.checkpoints);
        harness.sender = new AffinsySender(harness.http, new SinkOptions
        {
            BaseUrl = server.ApiBase,
            ApiKey = ReferenceSettings.LocalDevKey,
            RequestsPerMinute = 100_000,
            MaxLineItemsPerRequest = 500,
            Linger = TimeSpan.FromMilliseconds(5),
        });
        return harness;
    }

    public ShopifySourceOptions Options(ShopifyReadMode mode = ShopifyReadMode.Bulk, string? token = null) => new()
    {
        Shop = "emulated.myshopify.com",
        AccessToken = token ?? Emulator.Options.AccessToken,
        BaseUrl = Emulator.BaseUrl,
        Mode = mode,
    };

    public Task<SyncResult> SyncAsync(ShopifyReadMode mode = ShopifyReadMode.Bulk) => SyncAsync(Options(mode));

    /// <summary>What the connector logged in the last sync (warnings and above).</summary>
    public List<string> Warnings { get; } = [];

    public Task<SyncResult> SyncAsync(ShopifySourceOptions options) => SyncUntilAsync(options, TestContext.Current.CancellationToken);

    /// <summary>A sync that <paramref name="stop"/> can cancel, as a killed worker would stop.</summary>
    public async Task<SyncResult> SyncUntilAsync(ShopifySourceOptions options, CancellationToken stop)
    {
        var logs = new ListLoggerFactory(Warnings);
        var source = new ShopifyOrderSource(options, new SourceContext("shop", Dataset, directory.Path, Clock, logs));
        var sync = new PipelineSync(sender!, Checkpoints, new JsonlDeadLetterStore(directory.Path));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken, stop);
        return await sync.RunAsync("shop", Dataset, source, null, linked.Token);
    }

    public async Task<List<DeadLetter>> DeadLettersAsync()
    {
        using var store = new JsonlDeadLetterStore(directory.Path);
        var letters = new List<DeadLetter>();
        await foreach (var letter in store.ReadAsync("shop", TestContext.Current.CancellationToken))
        {
            letters.Add(letter);
        }

        return letters;
    }

    public List<OrderLine> Landed() => Server.Store.LoadLines(owner: "local", Dataset);

    public async Task<ShopifyCheckpoint> CheckpointAsync() =>
        ShopifyCheckpoint.Start(await Checkpoints.GetAsync("shop", TestContext.Current.CancellationToken));

    public async ValueTask DisposeAsync()
    {
        sender?.Dispose();
        if (checkpoints is not null)
        {
            await checkpoints.DisposeAsync();
        }

        http.Dispose();
        await Emulator.DisposeAsync();
        await Server.DisposeAsync();
        directory.Dispose();
    }
}
