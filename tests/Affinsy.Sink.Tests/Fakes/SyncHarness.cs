using Affinsy.Core.Sources;
using Affinsy.Sink.Pipelines;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Sink.Tests.Fakes;

/// <summary>A fake clock, fake remote, stores and a sender wired together.</summary>
internal sealed class SyncHarness : IDisposable
{
    public SyncHarness(Func<FakeTimeProvider, FakeAffinsy>? remote = null, Func<SinkOptions, SinkOptions>? tune = null)
    {
        Time = new FakeTimeProvider();
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

    public FakeTimeProvider Time { get; }

    public FakeAffinsy Remote { get; }

    public SinkOptions Options { get; }

    public HttpClient Http { get; }

    public AffinsySender Sender { get; }

    public RecordingCheckpointStore Checkpoints { get; } = new();

    public InMemoryDeadLetterStore DeadLetters { get; } = new();

    public PipelineSync Sync { get; }

    public Task<SyncResult> RunAsync(IOrderSource source, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Sync.RunAsync("test-pipeline", "my-store", source, progress, cancellationToken);

    /// <summary>
    /// Moves the fake clock forward in small steps until the task finishes, for code that waits on timers
    /// (backoff, Retry-After, the rate window). Bounded, so a hang fails the test instead of spinning forever.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan step, TimeSpan limit)
    {
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            if (advanced > limit)
            {
                throw new TimeoutException($"Still running after {limit} of fake time.");
            }

            // Let pending continuations run before the clock moves again.
            for (var i = 0; i < 20 && !task.IsCompleted; i++)
            {
                await Task.Yield();
            }

            Time.Advance(step);
            advanced += step;
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
