using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Reference.Reports;
using Affinsy.Sink;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;

namespace Affinsy.Testing;

/// <summary>
/// What a connector's sync test puts behind its source, wired as the Host wires it: the reference Affinsy server on
/// loopback (rate limit out of the way), a state directory with a SQLite checkpoint store and JSON Lines dead letters,
/// and the real sink with its retry delays and linger shrunk so failure tests stay fast.
/// </summary>
public sealed class SyncRig : IAsyncDisposable
{
    private readonly HttpClient _affinsyHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    private SyncRig(TempDirectory directory, ReferenceServer affinsy, SqliteCheckpointStore checkpoints)
    {
        Directory = directory;
        Affinsy = affinsy;
        Checkpoints = checkpoints;
    }

    /// <summary>The state directory (checkpoints, dead letters, whatever the source keeps there).</summary>
    public TempDirectory Directory { get; }

    public ReferenceServer Affinsy { get; }

    public SqliteCheckpointStore Checkpoints { get; }

    public static async Task<SyncRig> StartAsync(CancellationToken cancellationToken)
    {
        var affinsy = await ReferenceServer.StartAsync(
            new ReferenceServerOptions
            {
                Logging = _ => { },
                Settings = ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 1_000_000 } },
            },
            cancellationToken);
        var directory = new TempDirectory();
        try
        {
            var checkpoints = await SqliteCheckpointStore.OpenAsync(directory.File("state.db"), TimeProvider.System, cancellationToken);
            return new SyncRig(directory, affinsy, checkpoints);
        }
        catch
        {
            directory.Dispose();
            await affinsy.DisposeAsync();
            throw;
        }
    }

    /// <summary>The dead-letter files of the state directory, as a process opening it would see them.</summary>
    public JsonlDeadLetterStore OpenDeadLetters() => new(Directory.Path);

    /// <summary>
    /// A sender to the reference server as the local user (the default two requests in flight and the API's
    /// 10,000 line items per request unless told).
    /// </summary>
    public AffinsySender Sender(int maxInFlight = 2, int maxLineItemsPerRequest = SinkOptions.ApiMaxLineItemsPerRequest) => new(_affinsyHttp, new SinkOptions
    {
        BaseUrl = Affinsy.ApiBase,
        ApiKey = ReferenceSettings.LocalDevKey,
        RequestsPerMinute = 100_000,
        MaxInFlight = maxInFlight,
        MaxLineItemsPerRequest = maxLineItemsPerRequest,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        Linger = TimeSpan.FromMilliseconds(5),
    });

    /// <summary>Every line the reference server stored in the local user's <paramref name="dataset"/>.</summary>
    public List<OrderLine> Landed(string dataset) => Affinsy.Store.LoadLines("local", dataset);

    public async ValueTask DisposeAsync()
    {
        await Checkpoints.DisposeAsync();
        await Affinsy.DisposeAsync();
        _affinsyHttp.Dispose();
        Directory.Dispose();
    }
}
