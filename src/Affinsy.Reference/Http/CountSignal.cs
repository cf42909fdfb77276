namespace Affinsy.Reference.Http;

/// <summary>A counter that tests can await reaching a value, instead of sleeping until it probably has.</summary>
public sealed class CountSignal
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _value;

    public int Value
    {
        get
        {
            lock (_gate)
            {
                return _value;
            }
        }
    }

    internal int Increment() => Add(1);

    internal int Add(long amount)
    {
        lock (_gate)
        {
            _value += checked((int)amount);
            _waiters.RemoveAll(w => w.Count <= _value && w.Reached.TrySetResult());
            return _value;
        }
    }

    internal void Decrement()
    {
        lock (_gate)
        {
            _value--;
        }
    }

    public Task WhenAtLeastAsync(int count)
    {
        lock (_gate)
        {
            if (_value >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }
}
