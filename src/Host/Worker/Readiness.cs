using System.Text.Json.Serialization;
using Affinsy.Host.Sync;

namespace Affinsy.Host.Worker;

/// <summary>
/// What <c>/readyz</c> checks: the state store answers, the Affinsy API answers (an unauthenticated probe:
/// the API refuses it before counting it, so readiness checks never spend the per-user request quota), and
/// the worker is not draining.
/// </summary>
internal sealed class Readiness(ConnectRuntime runtime, WorkerLifetime lifetime) : IDisposable
{
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<ReadinessReport> CheckAsync(CancellationToken ct)
    {
        string state;
        try
        {
            await runtime.State.PingAsync(ct);
            state = "ok";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state = "unreachable: " + e.Message;
        }

        var api = await ApiAsync(ct) ?? "ok";
        var worker = lifetime.IsDraining ? "draining" : "ok";
        return new ReadinessReport(state == "ok" && api == "ok" && worker == "ok", state, api, worker);
    }

    private async Task<string?> ApiAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(runtime.Endpoint.ApiBase, "templates"), ct);
            return (int)response.StatusCode >= 500 ? $"answered {(int)response.StatusCode}" : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return "unreachable: " + e.Message;
        }
    }

    public void Dispose() => _probe.Dispose();
}

/// <summary>The body of <c>/readyz</c>.</summary>
internal sealed record ReadinessReport(
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("affinsy")] string Affinsy,
    [property: JsonPropertyName("worker")] string Worker);

[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;
