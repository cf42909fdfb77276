using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// The Host's one composition root. The worker's generic host and every one-shot command that syncs, replays, checks
/// or asks Affinsy register the same pieces with <see cref="AddAffinsyConnect"/>: the configuration, the clock, the
/// command's loggers, the source registry, the named HTTP clients (<see cref="ConnectHttp"/>), the sink's sender
/// registry, the opened runtime (endpoint, state backend, webhook receiver: <see cref="ConnectRuntime"/>) and the
/// passes. What must be opened asynchronously is opened once by <see cref="OpenRuntimeAsync"/> before anything that
/// needs it is resolved, and closed with the container.
/// </summary>
internal static class ConnectServices
{
    public static IServiceCollection AddAffinsyConnect(this IServiceCollection services, ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time)
    {
        // The command's loggers (secrets masked, stderr only: Cli.Logging) replace a host's own, so ILogger<T> writes there too.
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton(loggers));
        services.Replace(ServiceDescriptor.Singleton(time));
        services.AddSingleton(config);
        var sources = Cli.ConfigFile.Sources();
        services.AddSingleton(sources);
        services.AddConnectHttp(sources);
        services.AddSingleton(sp =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>();
            return new SenderRegistry(() => http.CreateClient(ConnectHttp.Affinsy), time, loggers);
        });
        services.AddSingleton<RuntimeSlot>();
        services.AddSingleton(sp => sp.GetRequiredService<RuntimeSlot>().Runtime);
        services.AddSingleton<PipelineExecutor>();
        services.AddSingleton<PipelinePass>();
        services.AddSingleton<ReplayPass>();
        return services;
    }

    /// <summary>
    /// A one-shot command's container: the registration above without a generic host. A command runs no hosted
    /// service, and a host would bring what the commands must not have: its own configuration sources
    /// (appsettings, environment, arguments), console logging to stdout and a console lifetime that takes Ctrl+C
    /// from <see cref="SyncInterrupt"/>.
    /// </summary>
    public static ServiceProvider Build(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time) =>
        new ServiceCollection().AddAffinsyConnect(config, loggers, time)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    /// <summary>
    /// Opens the container's <see cref="ConnectRuntime"/> (the webhook receiver only when <paramref name="pipelines"/>
    /// want reports); call once, before resolving anything that needs it. The container owns and closes it.
    /// </summary>
    public static async Task<ConnectRuntime> OpenRuntimeAsync(this IServiceProvider services, IReadOnlyList<PipelineConfig> pipelines, CancellationToken ct)
    {
        await services.GetRequiredService<RuntimeSlot>().OpenAsync(pipelines, ct);

        // Resolved through the container at once, so that the container disposes it (before the senders and clients it uses).
        return services.GetRequiredService<ConnectRuntime>();
    }

    /// <summary>Where the opened runtime waits to be resolved.</summary>
    private sealed class RuntimeSlot(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time, Core.Sources.Http.ISourceHttpClients sourceHttp, SenderRegistry senders)
    {
        private ConnectRuntime? _runtime;

        public ConnectRuntime Runtime => _runtime ?? throw new InvalidOperationException("The runtime is resolved before it was opened: call OpenRuntimeAsync first.");

        public async Task OpenAsync(IReadOnlyList<PipelineConfig> pipelines, CancellationToken ct)
        {
            if (_runtime is not null)
            {
                throw new InvalidOperationException("The runtime is opened once per container.");
            }

            _runtime = await ConnectRuntime.OpenAsync(config, pipelines, loggers, time, sourceHttp, senders, ct);
        }
    }
}
