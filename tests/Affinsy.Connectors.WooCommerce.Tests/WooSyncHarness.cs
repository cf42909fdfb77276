using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Connectors.WooCommerce.Mapping;
using Affinsy.Connectors.WooCommerce.Reading;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Sink.Pipelines;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Affinsy.Emulators.WooCommerce;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.WooCommerce.Tests;

/// <summary>
/// The emulated store in front of the real pipeline, and behind it the shared <see cref="SyncRig"/> (the reference
/// Affinsy server, a SQLite checkpoint store and the real sink), wired as the Host wires them, with retry delays shrunk
/// so failure tests stay fast.
/// </summary>
internal sealed class WooSyncHarness : IAsyncDisposable
{
    public const string Pipeline = "woo";
    public const string Dataset = "woo-store";

    private readonly SyncRig _rig;
    private readonly TaskCompletionSource _firstSave = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _storeHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    private WooSyncHarness(SyncRig rig, WooCommerceEmulator store)
    {
        _rig = rig;
        Store = store;
    }

    public WooCommerceEmulator Store { get; }

    public ReferenceServer Affinsy => _rig.Affinsy;

    public SqliteCheckpointStore Checkpoints => _rig.Checkpoints;

    /// <summary>Completes once a sync has saved a checkpoint (after the save, unlike the progress report of an ack).</summary>
    public Task FirstCheckpointSaved => _firstSave.Task;

    public WooCommerceSourceOptions Options { get; set; } = null!;

    /// <summary>Concurrent ingest requests of the sink (its default, 2, unless a test needs strict order).</summary>
    public int MaxInFlight { get; set; } = 2;

    public Func<WooCommerceClientOptions, WooCommerceClientOptions> TuneClient { get; set; } = o => o with
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
    };

    public static async Task<WooSyncHarness> StartAsync(int orders, CancellationToken cancellationToken, bool untrustedTls = false)
    {
        var store = untrustedTls
            ? await WooCommerceEmulator.StartWithUntrustedCertificateAsync(WooStoreSeed.Generate(orders), cancellationToken)
            : await WooCommerceEmulator.StartAsync(WooStoreSeed.Generate(orders), cancellationToken);
        return new WooSyncHarness(await SyncRig.StartAsync(cancellationToken), store)
        {
            Options = new WooCommerceSourceOptions
            {
                Url = store.SiteUrl,
                ConsumerKey = WooCommerceEmulator.ConsumerKey,
                ConsumerSecret = WooCommerceEmulator.ConsumerSecret,
                PageSize = 20,
            },
        };
    }

    public async Task<SyncResult> SyncAsync(CancellationToken cancellationToken, IProgress<SyncProgress>? progress = null)
    {
        DeadLetters = _rig.OpenDeadLetters();
        var sync = new PipelineSync(_rig.Sender(MaxInFlight), new SavesSignalled(Checkpoints, _firstSave), DeadLetters);
        return await sync.RunAsync(Pipeline, Dataset, CreateSource(), progress, cancellationToken);
    }

    /// <summary>The connector's clock (the store keeps the system clock): OAuth timestamps come from it.</summary>
    public TimeProvider ClientClock { get; set; } = TimeProvider.System;

    public JsonlDeadLetterStore DeadLetters { get; private set; } = null!;

    public IOrderSource CreateSource() =>
        WooCommerceSourcePlugin.Create(
            Options, _storeHttp, new SourceContext(Pipeline, Dataset, _rig.Directory.Path, ClientClock, NullLoggerFactory.Instance), TuneClient);

    public async Task<WooCheckpoint?> CheckpointAsync(CancellationToken cancellationToken) =>
        await Checkpoints.GetAsync(Pipeline, cancellationToken) is { } checkpoint ? WooCheckpoint.Parse(checkpoint) : null;

    /// <summary>Every stored row, rounded the way the comparison needs.</summary>
    public List<Row> Landed() =>
        [.. _rig.Landed(Dataset)
            .Select(l => new Row(l.OrderId, l.CustomerId, l.OrderDate, l.ProductName, Math.Round(l.UnitPrice, 6), l.Quantity))
            .OrderBy(r => r.OrderId, StringComparer.Ordinal).ThenBy(r => r.ProductName, StringComparer.Ordinal)];

    /// <summary>
    /// The rows the store's orders should become, computed from the emulator's model without the connector's mapper:
    /// sold statuses only, refunded quantities taken off, unit price = line total / ordered quantity.
    /// </summary>
    public static List<Row> Expected(IEnumerable<EmulatedOrder> orders) =>
        [.. orders
            .Where(o => o.Status is "processing" or "completed" or "on-hold" && o.RawJson is null)
            .SelectMany(o => o.Lines.Select(l => (Order: o, Line: l, Quantity: l.Quantity - o.RefundedQuantity(l.Id))))
            .Where(x => x.Quantity > 0)
            .Select(x => new Row(
                x.Order.Id.ToString(CultureInfo.InvariantCulture),
                Customer(x.Order),
                new DateTimeOffset(x.Order.PaidGmt ?? x.Order.CreatedGmt, TimeSpan.Zero),
                x.Line.Name,
                Math.Round((double)(x.Line.Total / x.Line.Quantity), 6),
                (double)x.Quantity))
            .OrderBy(r => r.OrderId, StringComparer.Ordinal).ThenBy(r => r.ProductName, StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _rig.DisposeAsync();
        _storeHttp.Dispose();
    }

    private static string? Customer(EmulatedOrder order)
    {
        if (order.CustomerId > 0)
        {
            return order.CustomerId.ToString(CultureInfo.InvariantCulture);
        }

        var email = order.Email.Trim().ToLowerInvariant();
        return email.Length == 0 ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email)));
    }

    /// <summary>Passes checkpoints through and signals the first save.</summary>
    private sealed class SavesSignalled(ICheckpointStore inner, TaskCompletionSource saved) : ICheckpointStore
    {
        public Task<Checkpoint?> GetAsync(string pipeline, CancellationToken cancellationToken) => inner.GetAsync(pipeline, cancellationToken);

        public async Task SaveAsync(string pipeline, Checkpoint checkpoint, CancellationToken cancellationToken)
        {
            await inner.SaveAsync(pipeline, checkpoint, cancellationToken);
            saved.TrySetResult();
        }

        public Task ResetAsync(string pipeline, CancellationToken cancellationToken) => inner.ResetAsync(pipeline, cancellationToken);

        public Task<IReadOnlyList<CheckpointEntry>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
    }
}

internal sealed record Row(string OrderId, string? CustomerId, DateTimeOffset? OrderDate, string ProductName, double UnitPrice, double Quantity);
