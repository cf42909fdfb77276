using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Operations;

/// <summary>Hands scopes to the inner logger provider with secrets masked.</summary>
internal sealed class RedactingScopeProvider(IExternalScopeProvider inner, SecretSet secrets) : IExternalScopeProvider
{
    public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
        inner.ForEachScope(
            (scope, carried) => carried.Callback(scope is null ? null : RedactedState.OfScope(scope, carried.Secrets), carried.State),
            (Callback: callback, State: state, Secrets: secrets));

    public IDisposable Push(object? state) => inner.Push(state);
}
