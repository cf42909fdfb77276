using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Reference;
using Affinsy.Sink.Pipelines;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>
/// The page server in front of the real pipeline, and behind it the shared <see cref="SyncRig"/> (the reference Affinsy
/// server, a SQLite checkpoint store, the JSONL dead-letter store and the real sink), wired as the Host wires them.
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    public const string Pipeline = "feed";
    public const string Dataset = "feed-store";

    private readonly SyncRig _rig;
    private readonly HttpClient _pagesHttp = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    private SyncHarness(SyncRig rig, PageServer pages)
    {
        _rig = rig;
        Pages = pages;
        DeadLetters = rig.OpenDeadLetters();
    }

    public PageServer Pages { get; }

    public ReferenceServer Affinsy => _rig.Affinsy;

    public SqliteCheckpointStore Checkpoints => _rig.Checkpoints;

    public JsonlDeadLetterStore DeadLetters { get; }

    public Func<HttpJsonlSourceOptions, HttpJsonlSourceOptions> Tune { get; set; } = o => o;

    public ILoggerFactory Loggers { get; set; } = NullLoggerFactory.Instance;

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public static async Task<SyncHarness> StartAsync(List<string[]> pages, CancellationToken cancellationToken)
    {
        var server = await PageServer.StartAsync(pages, cancellationToken);
        return new SyncHarness(await SyncRig.StartAsync(cancellationToken), server);
    }

    /// <summary>The source as YAML binds it (<paramref name="extra"/> adds keys), with back-off shrunk for failure tests.</summary>
    public HttpJsonlSourceOptions Options(string extra = "batch_max_orders: 3", IReadOnlyDictionary<string, string>? environment = null) =>
        Tune(Yaml.Options($"type: http-jsonl\nurl: {Pages.FirstPage}\n{extra}", environment) with
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromSeconds(30),
        });

    public IOrderSource CreateSource(HttpJsonlSourceOptions? options = null) =>
        HttpJsonlSourcePlugin.Create(options ?? Options(), _pagesHttp, new SourceContext(Pipeline, Dataset, _rig.Directory.Path, Clock, Loggers));

    public async Task<SyncResult> SyncAsync(CancellationToken cancellationToken, HttpJsonlSourceOptions? options = null)
    {
        var sync = new PipelineSync(_rig.Sender(), Checkpoints, DeadLetters, logger: Loggers.CreateLogger<PipelineSync>());
        return await sync.RunAsync(Pipeline, Dataset, CreateSource(options), null, cancellationToken);
    }

    public List<Row> Landed() =>
        [.. _rig.Landed(Dataset)
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
        string.Concat(Directory.EnumerateFiles(_rig.Directory.Path, "*", SearchOption.AllDirectories).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }));

    public async ValueTask DisposeAsync()
    {
        DeadLetters.Dispose();
        await Pages.DisposeAsync();
        await _rig.DisposeAsync();
        _pagesHttp.Dispose();
    }
}
