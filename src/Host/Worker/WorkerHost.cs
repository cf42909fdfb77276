using Affinsy.Core.Configuration;
using Affinsy.Host.Operations;
using Affinsy.Host.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Affinsy.Host.Worker;

/// <summary>
/// <c>affinsy-connect run</c>: the long-running worker. Quartz runs each scheduled pipeline (in memory with
/// SQLite state; clustered in the database with PostgreSQL state, so a fleet runs each firing once), streaming
/// pipelines run continuously, and an HTTP listener serves <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> and the
/// read-only status page (<see cref="StatusEndpoints"/>).
/// SIGTERM drains (see <see cref="DrainService"/>) and exits 0.
/// </summary>
internal static partial class WorkerHost
{
    public static async Task<int> RunAsync(ConnectorsConfig config, ILoggerFactory loggers, TimeProvider time)
    {
        var log = loggers.CreateLogger("Affinsy.Worker");
        using var lifetime = new WorkerLifetime();
        var continuous = ContinuousPipelines(config);

        // No appsettings.json watch: it is a recursive FileSystemWatcher on the working directory, which wakes on every
        // write beneath it (SQLite's WAL included) and costs inotify instances. appsettings.json is still read once at start.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(config.Worker.Listen.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        builder.Services.AddAffinsyConnect(config, loggers, time);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.Worker.DrainTimeout + TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(lifetime);
        builder.Services.AddSingleton<IReadOnlySet<string>>(continuous);
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            q.ConfigureScheduler(s => s.InstanceName = "affinsy-connect");
            JobStores.Configure(q, config);
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<ScheduleRegistration>();
        builder.Services.AddHostedService<StreamingPipelines>();
        builder.Services.AddHostedService(sp => new AbandonedRunSweep(
            [.. config.Pipelines.Select(p => p.Name)], sp.GetRequiredService<ConnectRuntime>().State.History, time, loggers.CreateLogger<AbandonedRunSweep>()));
        builder.Services.AddHostedService<DrainService>(); // last registered, first stopped
        builder.Services.AddAffinsyTelemetry(new MetricsSettings(config.Worker.Prometheus, config.Worker.OtlpEndpoint));

        using var kafkaLag = new KafkaLagWatch();
        await using var app = builder.Build();
        var runtime = await app.Services.OpenRuntimeAsync(config.Pipelines, CancellationToken.None);
        app.MapStatusPages(config, runtime, kafkaLag, time);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (Readiness readiness, CancellationToken ct) =>
        {
            var report = await readiness.CheckAsync(ct);
            return Results.Json(report, WorkerJsonContext.Default.ReadinessReport, statusCode: report.Ready ? 200 : 503);
        });

        if (config.Worker.Prometheus)
        {
            app.MapPrometheusScrape();
        }

        await app.StartAsync();
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        LogStarted(log, runtime.Worker, listening, config.Pipelines.Count(p => p.Schedule is not null && !continuous.Contains(p.Name)), continuous.Count, runtime.State.Description);
        await app.WaitForShutdownAsync();
        LogStopped(log);
        return 0;
    }

    /// <summary>Pipelines whose source never ends (Kafka with <c>stream: true</c>).</summary>
    private static HashSet<string> ContinuousPipelines(ConnectorsConfig config) =>
        [.. config.Pipelines.Where(p => p.IsContinuous).Select(p => p.Name)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} listening on {Url} (/ status page, /healthz, /readyz, /metrics): {Scheduled} scheduled and {Streaming} streaming pipelines; state in {State}.")]
    private static partial void LogStarted(ILogger log, string worker, string url, int scheduled, int streaming, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker stopped.")]
    private static partial void LogStopped(ILogger log);
}
