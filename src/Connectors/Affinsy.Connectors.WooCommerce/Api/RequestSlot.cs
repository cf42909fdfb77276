namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>One request's place in the <see cref="RequestGate"/>: disposing it records when its answer arrived.</summary>
internal sealed class RequestSlot : IDisposable
{
    /// <summary>The slot of a request that is not paced at all.</summary>
    public static readonly RequestSlot Unpaced = new(TimeProvider.System);

    private readonly TimeProvider time;
    private readonly TaskCompletionSource<DateTimeOffset> answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RequestSlot(TimeProvider time) => this.time = time;

    /// <summary>When the answer arrived; waits for it.</summary>
    public Task<DateTimeOffset> AnsweredAsync(CancellationToken cancellationToken) => answered.Task.WaitAsync(cancellationToken);

    public void Dispose() => answered.TrySetResult(time.GetUtcNow());
}
