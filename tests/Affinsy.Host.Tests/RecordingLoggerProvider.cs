using System.Text;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Tests;

/// <summary>
/// Writes down everything a structured logger provider reads from an entry: the formatted message, every
/// state value (the template included), the exception's text and message, and the scopes.
/// </summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock sync = new();
    private readonly StringBuilder output = new();
    private IExternalScopeProvider? scopes;

    public string Output
    {
        get
        {
            lock (sync)
            {
                return output.ToString();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (sync)
        {
            output.Append(line).Append('\n');
        }
    }

    private sealed class Recorder(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Write("message: " + formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    owner.Write($"state {key}: {value}");
                }
            }

            owner.scopes?.ForEachScope(
                (scope, o) =>
                {
                    o.Write($"scope: {scope}");
                    if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                    {
                        foreach (var (key, value) in values)
                        {
                            o.Write($"scope {key}: {value}");
                        }
                    }
                },
                owner);
            if (exception is not null)
            {
                owner.Write("exception: " + exception);
                owner.Write("exception message: " + exception.Message);
                owner.Write("exception stack: " + exception.StackTrace);
            }
        }
    }
}
