using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>Collects every formatted line, information included (<see cref="ListLoggerFactory"/> keeps warnings only).</summary>
internal sealed class ListLogger(List<string> sink) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (sink)
        {
            sink.Add(formatter(state, exception));
        }
    }
}
