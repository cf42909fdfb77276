using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Operations;

/// <summary>
/// Wraps a logger provider (console, JSON console...) so that no configured secret reaches its output:
/// formatted messages, structured values, message templates, scopes and exceptions (message and stack
/// text) are redacted before the inner provider sees them. Register it instead of the inner provider.
/// </summary>
internal sealed class RedactingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ILoggerProvider inner;
    private readonly SecretSet secrets;

    public RedactingLoggerProvider(ILoggerProvider inner, IReadOnlyCollection<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(secrets);
        this.inner = inner;
        this.secrets = new SecretSet(secrets);
    }

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), secrets);

    /// <summary>Scopes are rendered by the inner provider from this scope provider: hand it one that redacts.</summary>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(secrets.IsEmpty ? scopeProvider : new RedactingScopeProvider(scopeProvider, secrets));
        }
    }

    public void Dispose() => inner.Dispose();
}
