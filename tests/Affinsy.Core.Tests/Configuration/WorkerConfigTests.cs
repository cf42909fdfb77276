using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Tests.Configuration;

public sealed class WorkerConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-worker-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Stands in for Quartz's parser: six or seven fields.</summary>
    private static string? SixOrSevenFields(string cron) =>
        cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is 6 or 7 ? null : "wrong number of fields";

    private ConnectorsConfig Parse(string yaml) =>
        ConnectorsConfigLoader.Parse(yaml, "test.yaml", _directory, new SourceRegistry().Add("fake", s =>
        {
            s.RejectUnknownKeys(["type"]);
            return _ => throw new NotSupportedException();
        }), _ => null, SixOrSevenFields);

    [Fact]
    public void Worker_and_schedule_keys_bind_with_their_defaults()
    {
        var config = Parse("""
            worker: { listen: "http://0.0.0.0:9090", drain_timeout: 45s, metrics: { prometheus: false, otlp_endpoint: "http://collector:4317" } }
            pipelines:
              - name: a
                dataset_id: a
                source: { type: fake }
                schedule: "0 0/15 * * * ?"
                keep_reports: 3
                reports: [ { template: standard_mba } ]
              - name: b
                dataset_id: b
                source: { type: fake }
                report_schedule: "0 0 * * * ?"
                reports_after: { orders: 10000 }
                reports: [ { template: standard_rfm } ]
            """);

        Assert.Equal(new Uri("http://0.0.0.0:9090"), config.Worker.Listen);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Worker.DrainTimeout);
        Assert.False(config.Worker.Prometheus);
        Assert.Equal(new Uri("http://collector:4317"), config.Worker.OtlpEndpoint);
        Assert.Equal("0 0/15 * * * ?", config.Pipelines[0].Schedule);
        Assert.Equal(3, config.Pipelines[0].KeepReports);
        Assert.Null(config.Pipelines[0].ReportsAfterOrders);
        Assert.Equal("0 0 * * * ?", config.Pipelines[1].ReportSchedule);
        Assert.Equal(10_000, config.Pipelines[1].ReportsAfterOrders);
        Assert.Equal(PipelineConfig.DefaultKeepReports, config.Pipelines[1].KeepReports);
    }

    [Fact]
    public void Without_a_worker_section_the_defaults_apply()
    {
        var config = Parse("pipelines: []\n");

        Assert.Equal(WorkerSettings.DefaultListen, config.Worker.Listen);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Worker.DrainTimeout);
        Assert.True(config.Worker.Prometheus);
    }

    [Fact]
    public void A_bad_cron_a_report_trigger_without_reports_and_bad_worker_values_are_each_reported_with_their_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            worker: { listen: "not a url", drain_timeout: forever, workers: 2 }
            pipelines:
              - name: a
                dataset_id: a
                source: { type: fake }
                schedule: "*/5 * * * *"
                reports_after: { orders: 0 }
                keep_reports: 0
              - name: b
                dataset_id: b
                source: { type: fake }
                report_schedule: "0 0 * * * ?"
            """));

        var messages = e.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains(messages, m => m.Contains("test.yaml:6", StringComparison.Ordinal) && m.Contains("pipelines[0].schedule", StringComparison.Ordinal)
            && m.Contains("not a valid Quartz cron", StringComparison.Ordinal) && m.Contains("seconds minutes hours", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("pipelines[1].report_schedule", StringComparison.Ordinal) && m.Contains("no reports", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("reports_after.orders", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("keep_reports", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("worker.listen", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("worker.drain_timeout", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("worker.workers", StringComparison.Ordinal));
    }
}
