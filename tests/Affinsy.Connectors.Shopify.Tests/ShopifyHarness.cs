using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Reports;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Affinsy.Emulators.Shopify;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>
/// The emulated shop on a virtual clock in front of the real sync loop, and behind it the shared <see cref="SyncRig"/>
/// (the reference Affinsy server, SQLite checkpoints, JSON Lines dead letters and the real sink), wired together.
/// </summary>
internal sealed class ShopifyHarness : IAsyncDisposable
{
    public const string Dataset = "shop";
    private readonly SyncRig rig;
    private readonly AffinsySender sender;

    private ShopifyHarness(VirtualClock clock, ShopifyEmulator emulator, SyncRig rig)
    {
        Clock = clock;
        Emulator = emulator;
        this.rig = rig;
        Checkpoints = new SignallingCheckpointStore(rig.Checkpoints);
        sender = rig.Sender(maxLineItemsPerRequest: 500);
    }

    public static DateTimeOffset Now { get; } = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    public VirtualClock Clock { get; }

    public ShopifyEmulator Emulator { get; }

    public ReferenceServer Server => rig.Affinsy;

    public SignallingCheckpointStore Checkpoints { get; }

    public string DeadLetterDirectory => rig.Directory.Path;

    public static async Task<ShopifyHarness> StartAsync(ShopifyEmulatorOptions? options = null)
    {
        var token = TestContext.Current.CancellationToken;
        var clock = new VirtualClock(Now);
        var emulator = await ShopifyEmulator.StartAsync(options ?? new ShopifyEmulatorOptions { Orders = 300 }, clock, token);
        try
        {
            return new ShopifyHarness(clock, emulator, await SyncRig.StartAsync(token));
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
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
        var source = new ShopifyOrderSource(options, new SourceContext("shop", Dataset, rig.Directory.Path, Clock, logs));
        var sync = new PipelineSync(sender, Checkpoints, rig.OpenDeadLetters());
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken, stop);
        return await sync.RunAsync("shop", Dataset, source, null, linked.Token);
    }

    public async Task<List<DeadLetter>> DeadLettersAsync()
    {
        using var store = rig.OpenDeadLetters();
        var letters = new List<DeadLetter>();
        await foreach (var letter in store.ReadAsync("shop", TestContext.Current.CancellationToken))
        {
            letters.Add(letter);
        }

        return letters;
    }

    public List<OrderLine> Landed() => rig.Landed(Dataset);

    public async Task<ShopifyCheckpoint> CheckpointAsync() =>
        ShopifyCheckpoint.Start(await Checkpoints.GetAsync("shop", TestContext.Current.CancellationToken));

    public async ValueTask DisposeAsync()
    {
        sender.Dispose();
        await Emulator.DisposeAsync();
        await rig.DisposeAsync();
    }
}
