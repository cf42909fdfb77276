using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>Collects formatted warnings (and worse) so a test can assert what the connector told the user.</summary>
internal sealed class ListLoggerFactory(List<string> sink) : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (sink)
            {
                sink.Add(formatter(state, exception));
            }
        }
    }

    public void Dispose()
    {
    }
}
