using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Operations;

/// <summary>One category's logger behind <see cref="RedactingLoggerProvider"/>.</summary>
internal sealed class RedactingLogger(ILogger inner, SecretSet secrets) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull =>
        inner.BeginScope(RedactedState.OfScope(state, secrets));

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (secrets.IsEmpty || !inner.IsEnabled(logLevel))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        var message = formatter(state, exception);
        var redacted = RedactedState.Of(state, message, secrets);
        var safeException = RedactedException.Of(exception, secrets);
        if (redacted is null && ReferenceEquals(safeException, exception))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        redacted ??= RedactedState.Unchanged(state, message);
        inner.Log(logLevel, eventId, redacted, safeException, static (s, _) => s.Message);
    }
}
