using Affinsy.Core.Configuration;
using Affinsy.Core.Sources.Http;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Affinsy.State.Postgres;
using Affinsy.Sink;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// What every sync needs, opened once per process: the Affinsy endpoint (remote or embedded), the state
/// backend, the named HTTP clients (<see cref="ConnectHttp"/>), the user's one shared sender (so every pipeline together stays within the API's limits), the
/// webhook receiver when reports are wanted, and the report collector.
/// </summary>
internal sealed class ConnectRuntime : IAsyncDisposable
{
    private readonly SenderRegistry _senders;
    private readonly ServiceProvider _services;

    private ConnectRuntime(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time, AffinsyEndpoint endpoint, IStateBackend state,
        ServiceProvider services, SenderRegistry senders, AffinsySender sender, WebhookListener? webhooks)
    {
        _services = services;
        Http = services.GetRequiredService<IHttpClientFactory>();
        SourceHttp = services.GetRequiredService<ISourceHttpClients>();
        Config = config;
        Loggers = loggers;
        Time = time;
        Endpoint = endpoint;
        State = state;
        _senders = senders;
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

    /// <summary>The named HTTP clients (<see cref="ConnectHttp"/>).</summary>
    public IHttpClientFactory Http { get; }

    /// <summary>The sources' HTTP clients, from <see cref="Http"/>.</summary>
    public ISourceHttpClients SourceHttp { get; }

    public WebhookListener? Webhooks { get; }

    public ReportCollector Reports { get; }

    /// <summary>This process, as recorded in the run history (host name and process id).</summary>
    public string Worker { get; }

    public static async Task<ConnectRuntime> OpenAsync(ConnectorsConfig config, IReadOnlyList<PipelineConfig> pipelines, ILoggerFactory loggers, TimeProvider time, CancellationToken ct)
    {
        var endpoint = await AffinsyEndpoint.OpenAsync(config, ct);
        IStateBackend? state = null;
        SenderRegistry? senders = null;
        var services = ConnectHttp.Build(loggers);
        try
        {
            // Masked at the store boundary: a server that echoes the key in an error body must not put it in state.db
            // or the dead-letter file (the key and every secret of the configuration).
            state = await RedactingStateBackend.OpenAsync(config, time, ct, endpoint.ApiKey);
            var http = services.GetRequiredService<IHttpClientFactory>();
            senders = new SenderRegistry(() => http.CreateClient(ConnectHttp.Affinsy), time, loggers);
            var sender = senders.For(SinkOptions.From(config.Affinsy, endpoint.ApiBase, endpoint.ApiKey));
            var webhooks = config.Webhooks.Listen is null || pipelines.All(p => p.Reports.Count == 0)
                ? null
                : await WebhookListener.StartAsync(config.Webhooks, endpoint.ApiKey, loggers, ct);
            return new ConnectRuntime(config, loggers, time, endpoint, state, services, senders, sender, webhooks);
        }
        catch
        {
            senders?.Dispose();
            if (state is not null)
            {
                await state.DisposeAsync();
            }

            await endpoint.DisposeAsync();
            await services.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Webhooks is not null)
        {
            await Webhooks.DisposeAsync();
        }

        _senders.Dispose();
        await State.DisposeAsync();
        await Endpoint.DisposeAsync();
        await _services.DisposeAsync();
    }
}
