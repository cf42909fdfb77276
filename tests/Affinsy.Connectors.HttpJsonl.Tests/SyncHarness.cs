using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Sink;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>
/// The page server, the reference Affinsy server, a SQLite checkpoint store, the JSONL dead-letter store and the real
/// sink and pipeline, wired as the Host wires them (as WooSyncHarness does for WooCommerce).
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    public const string Pipeline = "feed";
    public const string Dataset = "feed-store";

    private readonly TempDirectory _directory;
    private readonly HttpClient _pagesHttp = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly HttpClient _affinsyHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    private SyncHarness(TempDirectory directory, PageServer pages, ReferenceServer affinsy, SqliteCheckpointStore checkpoints)
    {
        _directory = directory;
        Pages = pages;
        Affinsy = affinsy;
        Checkpoints = checkpoints;
        DeadLetters = new JsonlDeadLetterStore(directory.Path);
    }

    public PageServer Pages { get; }

    public ReferenceServer Affinsy { get; }

    public SqliteCheckpointStore Checkpoints { get; }

    public JsonlDeadLetterStore DeadLetters { get; }

    public Func<HttpJsonlSourceOptions, HttpJsonlSourceOptions> Tune { get; set; } = o => o;

    public ILoggerFactory Loggers { get; set; } = NullLoggerFactory.Instance;

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public static async Task<SyncHarness> StartAsync(List<string[]> pages, CancellationToken cancellationToken)
    {
        var server = await PageServer.StartAsync(pages, cancellationToken);
        var affinsy = await ReferenceServer.StartAsync(
            new ReferenceServerOptions
            {
                Logging = _ => { },
                Settings = ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 1_000_000 } },
            },
            cancellationToken);
        var directory = new TempDirectory();
        var checkpoints = await SqliteCheckpointStore.OpenAsync(directory.File("state.db"), TimeProvider.System, cancellationToken);
        return new SyncHarness(directory, server, affinsy, checkpoints);
    }

    /// <summary>The source as YAML binds it (<paramref name="extra"/> adds keys), with back-off shrunk for failure tests.</summary>
    public HttpJsonlSourceOptions Options(string extra = "batch_max_orders: 3", IReadOnlyDictionary<string, string>? environment = null) =>
        Tune(Yaml.Options($"type: http-jsonl\nurl: {Pages.FirstPage}\n{extra}", environment) with
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromSeconds(30),
        });

    public IOrderSource CreateSource(HttpJsonlSourceOptions? options = null) =>
        HttpJsonlSourcePlugin.Create(options ?? Options(), _pagesHttp, new SourceContext(Pipeline, Dataset, _directory.Path, Clock, Loggers));

    public async Task<SyncResult> SyncAsync(CancellationToken cancellationToken, HttpJsonlSourceOptions? options = null)
    {
        var sender = new AffinsySender(_affinsyHttp, new SinkOptions
        {
            BaseUrl = Affinsy.ApiBase,
            ApiKey = ReferenceSettings.LocalDevKey,
            RequestsPerMinute = 100_000,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(20),
            Linger = TimeSpan.FromMilliseconds(5),
        });
        var sync = new PipelineSync(sender, Checkpoints, DeadLetters, logger: Loggers.CreateLogger<PipelineSync>());
        return await sync.RunAsync(Pipeline, Dataset, CreateSource(options), null, cancellationToken);
    }

    public List<Row> Landed() =>
        [.. Affinsy.Store.LoadLines("local", Dataset)
            .Select(l => new Row(l.OrderId, l.ProductName, Math.Round(l.UnitPrice, 6), l.Quantity))
            .OrderBy(r => r.OrderId, StringComparer.Ordinal).ThenBy(r => r.ProductName, StringComparer.Ordinal)];

    public async Task<List<DeadLetter>> LettersAsync(CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        await foreach (var letter in DeadLetters.ReadAsync(Pipeline, cancellationToken))
        {
            letters.Add(letter);
        }

        return letters;
    }

    /// <summary>Every file the run left in its state directory (checkpoints, dead letters), as text.</summary>
    public string StateText() =>
        string.Concat(Directory.EnumerateFiles(_directory.Path, "*", SearchOption.AllDirectories).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));

    public async ValueTask DisposeAsync()
    {
        await Checkpoints.DisposeAsync();
        await Pages.DisposeAsync();
        await Affinsy.DisposeAsync();
        _pagesHttp.Dispose();
        _affinsyHttp.Dispose();
        _directory.Dispose();
    }
}
