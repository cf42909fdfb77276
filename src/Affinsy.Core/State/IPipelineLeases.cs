namespace Affinsy.Core.State;

/// <summary>
/// One sync per pipeline across every process sharing a state store: a pass holds its pipeline's lease, renews it
/// every <see cref="PipelineLeases.RenewEvery"/>, and a lease not renewed for <see cref="PipelineLeases.ExpiresAfter"/>
/// is free again, so a killed holder blocks nobody for longer. Times come from the store's <see cref="TimeProvider"/>.
/// </summary>
public interface IPipelineLeases
{
    /// <summary>
    /// Takes the pipeline's lease for <paramref name="holder"/> when it is free, expired, or already this holder's
    /// (then it is renewed and keeps its start); otherwise reports who holds it since when.
    /// </summary>
    Task<LeaseState> AcquireAsync(string pipeline, string holder, CancellationToken cancellationToken);

    /// <summary>Renews the holder's lease; false when it no longer holds it (it expired and another took it).</summary>
    Task<bool> RenewAsync(string pipeline, string holder, CancellationToken cancellationToken);

    /// <summary>Gives the lease up, when the holder still has it.</summary>
    Task ReleaseAsync(string pipeline, string holder, CancellationToken cancellationToken);

    /// <summary>The pipeline's lease as stored (perhaps expired), or null when nobody took one.</summary>
    Task<LeaseState?> GetAsync(string pipeline, CancellationToken cancellationToken);
}

/// <summary>A pipeline's lease as the store holds it.</summary>
/// <param name="Granted">True when the caller now holds it.</param>
/// <param name="Holder">Who holds it (<c>host/pid</c>).</param>
/// <param name="Since">When the holder acquired it.</param>
/// <param name="RenewedAt">When the holder last renewed it.</param>
public sealed record LeaseState(bool Granted, string Holder, DateTimeOffset Since, DateTimeOffset RenewedAt)
{
    /// <summary>When it expires unless renewed.</summary>
    public DateTimeOffset ExpiresAt => RenewedAt + PipelineLeases.ExpiresAfter;

    /// <summary>"pipeline X is being synced by host/pid since time", for the pass that did not get the lease.</summary>
    public string DescribeHeld(string pipeline) =>
        $"pipeline {pipeline} is being synced by {Holder} since {Since.UtcDateTime:yyyy-MM-dd HH:mm:ss'Z'}";
}

/// <summary>The lease timings, and who this process is.</summary>
public static class PipelineLeases
{
    /// <summary>How often a holder renews.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    /// <summary>How long after its last renewal a lease is free again (three missed renewals).</summary>
    public static readonly TimeSpan ExpiresAfter = TimeSpan.FromSeconds(30);

    /// <summary>This process as a holder: <c>host/pid</c>.</summary>
    public static string ThisProcess { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";
}
