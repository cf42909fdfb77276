using Affinsy.Core.Configuration;
using Affinsy.Core.Sources.Http;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Affinsy.Sink;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// What every sync needs that is opened, not just made: the Affinsy endpoint (remote or embedded), the state
/// backend, the user's one shared sender (so every pipeline together stays within the API's limits), the webhook
/// receiver when reports are wanted, and the report collector. The composition root (<see cref="ConnectServices"/>)
/// opens it once per process with the container's clients and sender registry, and the container closes it.
/// </summary>
internal sealed class ConnectRuntime : IAsyncDisposable
{
    private ConnectRuntime(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time, AffinsyEndpoint endpoint, IStateBackend state,
        ISourceHttpClients sourceHttp, AffinsySender sender, WebhookListener? webhooks)
    {
        SourceHttp = sourceHttp;
        Config = config;
        Loggers = loggers;
        Time = time;
        Endpoint = endpoint;
        State = state;
        Sender = sender;
        Webhooks = webhooks;
        Reports = new ReportCollector(sender.Client, webhooks, config.OutputDirectory, state.History, time);
        Worker = $"{Environment.MachineName}:{Environment.ProcessId}";
    }

    public ConnectorsConfig Config { get; }

    public ILoggerFactory Loggers { get; }

    public TimeProvider Time { get; }

    public AffinsyEndpoint Endpoint { get; }

    public IStateBackend State { get; }

    public AffinsySender Sender { get; }

    /// <summary>The sources' HTTP clients, from the container's <see cref="IHttpClientFactory"/> (<see cref="ConnectHttp"/>).</summary>
    public ISourceHttpClients SourceHttp { get; }

    public WebhookListener? Webhooks { get; }

    public ReportCollector Reports { get; }

    /// <summary>This process, as recorded in the run history (host name and process id).</summary>
    public string Worker { get; }

    /// <summary>Opens the endpoint, the state backend and (when <paramref name="pipelines"/> want reports) the webhook receiver.</summary>
    internal static async Task<ConnectRuntime> OpenAsync(
        ConnectorsConfig config, IReadOnlyList<PipelineConfig> pipelines, ILoggerFactory loggers, TimeProvider time,
        ISourceHttpClients sourceHttp, SenderRegistry senders, CancellationToken ct)
    {
        var endpoint = await AffinsyEndpoint.OpenAsync(config, ct);
        IStateBackend? state = null;
        try
        {
            // Masked at the store boundary: a server that echoes the key in an error body must not put it in state.db
            // or the dead-letter file (the key and every secret of the configuration).
            state = await RedactingStateBackend.OpenAsync(config, time, ct, endpoint.ApiKey);
            var sender = senders.For(SinkOptions.From(config.Affinsy, endpoint.ApiBase, endpoint.ApiKey));
            var webhooks = config.Webhooks.Listen is null || pipelines.All(p => p.Reports.Count == 0)
                ? null
                : await WebhookListener.StartAsync(config.Webhooks, endpoint.ApiKey, loggers, ct);
            return new ConnectRuntime(config, loggers, time, endpoint, state, sourceHttp, sender, webhooks);
        }
        catch
        {
            if (state is not null)
            {
                await state.DisposeAsync();
            }

            await endpoint.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Webhooks is not null)
        {
            await Webhooks.DisposeAsync();
        }

        await State.DisposeAsync();
        await Endpoint.DisposeAsync();
    }
}
