using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Affinsy.Testing;

namespace Affinsy.Sink.Tests.Fakes;

/// <summary>A fake clock, fake remote, stores and a sender wired together.</summary>
internal sealed class SyncHarness : IDisposable
{
    /// <summary>Tunes the sink to two line items a request, so each two-line batch is a request of its own.</summary>
    public static SinkOptions OneBatchPerRequest(SinkOptions o) => new()
    {
        BaseUrl = o.BaseUrl, ApiKey = o.ApiKey, RetryBaseDelay = o.RetryBaseDelay, Linger = o.Linger,
        RequestTimeout = o.RequestTimeout, MaxLineItemsPerRequest = 2,
    };

    public SyncHarness(Func<DrivenClock, FakeAffinsy>? remote = null, Func<SinkOptions, SinkOptions>? tune = null)
    {
        Time = new DrivenClock { ShortWait = TimeSpan.FromMinutes(10) };
        Remote = remote?.Invoke(Time) ?? new FakeAffinsy(Time);
        var options = new SinkOptions
        {
            BaseUrl = new Uri("https://affinsy.test/api/v1"),
            ApiKey = FakeAffinsy.Key,
            RetryBaseDelay = TimeSpan.Zero,
            Linger = TimeSpan.FromHours(1),
            RequestTimeout = TimeSpan.FromHours(1),
        };
        Options = tune?.Invoke(options) ?? options;
        Http = Remote.CreateClient();
        Sender = new AffinsySender(Http, Options, Time);
        Sync = new PipelineSync(Sender, Checkpoints, DeadLetters, Time);
    }

    public DrivenClock Time { get; }

    public FakeAffinsy Remote { get; }

    public SinkOptions Options { get; }

    public HttpClient Http { get; }

    public AffinsySender Sender { get; }

    public RecordingCheckpointStore Checkpoints { get; } = new();

    public InMemoryDeadLetterStore DeadLetters { get; } = new();

    public PipelineSync Sync { get; }

    public Task<SyncResult> RunAsync(
        IOrderSource source, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default, string pipeline = "test-pipeline") =>
        Sync.RunAsync(pipeline, "my-store", source, progress, cancellationToken);

    /// <summary>
    /// Runs the task to completion, moving the fake clock to the next short wait whenever the code under test
    /// is waiting on one (backoff, Retry-After, the rate window). Fails after <paramref name="limit"/> of fake
    /// time or 30 s of real time, so a hang fails the test instead of spinning forever.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan limit)
    {
        var start = Time.GetUtcNow();
        var real = System.Diagnostics.Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            var now = Time.GetUtcNow();
            if (now - start > limit || real.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException(
                    $"Still running after {now - start} of fake time; the remote saw {Remote.Requests.Count} requests, throttled {Remote.Throttled}.");
            }

            if (Time.NextWait() is { } due && due > now)
            {
                Time.Advance(due - now);
            }

            await Task.Yield();
        }

        return await task;
    }

    public void Dispose()
    {
        Sender.Dispose();
        Http.Dispose();
        Remote.Dispose();
    }
}

/// <summary>An IProgress that calls back synchronously (Progress&lt;T&gt; would post to a context).</summary>
internal sealed class CallbackProgress(Action<SyncProgress> callback) : IProgress<SyncProgress>
{
    public void Report(SyncProgress value) => callback(value);
}
