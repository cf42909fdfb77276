using Affinsy.Core.Configuration;
using Affinsy.Core.State;

namespace Affinsy.Host.Operations;

/// <summary>
/// A state backend whose dead letters and run history never hold a secret: reasons, details, records and run errors
/// are masked on the way in (an API that echoes the <c>Authorization</c> header in its 401 body must not put the key
/// in <c>state.db</c> or a dead-letter file) and again on the way out (history written before this, or by a worker
/// that knew fewer secrets, is still shown masked). Checkpoints, leases, the order ledger, the report counters and the replayed letter ids hold no free text and pass through.
/// </summary>
internal sealed class RedactingStateBackend : IStateBackend
{
    private readonly IStateBackend _inner;
    private readonly SecretSet _secrets;

    public RedactingStateBackend(IStateBackend inner, SecretSet secrets)
    {
        _inner = inner;
        _secrets = secrets;
        DeadLetters = new RedactingDeadLetterStore(inner.DeadLetters, secrets);
        History = new RedactingRunHistory(inner.History, secrets);
    }

    public ICheckpointStore Checkpoints => _inner.Checkpoints;

    public IDeadLetterStore DeadLetters { get; }

    public IRunHistory History { get; }

    public IPipelineLeases Leases => _inner.Leases;

    public IOrderLedger Ledger => _inner.Ledger;

    public IReportCounters ReportCounters => _inner.ReportCounters;

    public IReplayedLetters ReplayedLetters => _inner.ReplayedLetters;

    public string Description => _secrets.Redact(_inner.Description);

    /// <summary>The secrets of a configuration: its secret values, the parts of the state connection string, and any others (the API key in use).</summary>
    public static SecretSet SecretsOf(ConnectorsConfig config, params IEnumerable<string?> others)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SecretSet([.. config.Secrets, .. Redaction.SecretsOfConnectionString(config.State.ConnectionString), .. others.OfType<string>()]);
    }

    /// <summary>Opens the backend <c>state:</c> names, masking the configuration's secrets and <paramref name="others"/>.</summary>
    public static async Task<IStateBackend> OpenAsync(ConnectorsConfig config, TimeProvider time, CancellationToken cancellationToken, params IEnumerable<string?> others)
    {
        ArgumentNullException.ThrowIfNull(config);
        var inner = await StateBackends.OpenAsync(config.State, time, cancellationToken);
        return new RedactingStateBackend(inner, SecretsOf(config, others));
    }

    public Task PingAsync(CancellationToken cancellationToken) => _inner.PingAsync(cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
