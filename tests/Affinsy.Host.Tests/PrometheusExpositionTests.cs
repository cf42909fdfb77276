using Affinsy.Core.Telemetry;
using Affinsy.Host.Operations;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Affinsy.Host.Tests;

public sealed class PrometheusExpositionTests
{
    // The meter is process-wide: each test records under its own pipeline name and reads only that.
    private readonly string pipeline = "expo-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_counter_is_exposed_with_total_suffix_help_type_and_its_sum()
    {
        using var metrics = new PrometheusMetrics();

        AffinsyMetrics.RecordLineItemsSent(pipeline, 40);
        AffinsyMetrics.RecordLineItemsSent(pipeline, 2);

        var exposition = (await PrometheusScrape.ParseAsync(metrics));
        Assert.Equal("counter", exposition.Types["affinsy_line_items_sent_total"]);
        Assert.Equal("Line items Affinsy acknowledged.", exposition.Help["affinsy_line_items_sent_total"]);
        var sample = Assert.Single(exposition.Named("affinsy_line_items_sent_total", pipeline));
        Assert.Equal(42, sample.Value);
    }

    [Fact]
    public async Task A_histogram_has_cumulative_buckets_in_order_ending_with_inf_equal_to_its_count()
    {
        using var metrics = new PrometheusMetrics();

        AffinsyMetrics.RecordSyncDuration(pipeline, "completed", TimeSpan.FromMilliseconds(50));
        AffinsyMetrics.RecordSyncDuration(pipeline, "completed", TimeSpan.FromSeconds(1)); // on a bound: le is inclusive
        AffinsyMetrics.RecordSyncDuration(pipeline, "completed", TimeSpan.FromSeconds(42));
        AffinsyMetrics.RecordSyncDuration(pipeline, "completed", TimeSpan.FromHours(2));
        AffinsyMetrics.RecordSyncDuration(pipeline, "failed", TimeSpan.FromSeconds(3));

        var exposition = (await PrometheusScrape.ParseAsync(metrics));
        const string Name = "affinsy_sync_duration_seconds";
        Assert.Equal("histogram", exposition.Types[Name]);
        var buckets = exposition.Named(Name + "_bucket", pipeline).Where(s => s["outcome"] == "completed").ToList();
        var bounds = buckets.Select(b => b["le"]!).ToList();
        Assert.Equal(["0.1", "0.5", "1", "2.5", "5", "10", "30", "60", "120", "300", "600", "1800", "3600", "+Inf"], bounds);
        Assert.Equal([1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4], buckets.Select(b => b.Value));
        Assert.Equal(4, Assert.Single(exposition.Named(Name + "_count", pipeline), s => s["outcome"] == "completed").Value);
        Assert.Equal(0.05 + 1 + 42 + 7200, Assert.Single(exposition.Named(Name + "_sum", pipeline), s => s["outcome"] == "completed").Value, 6);
        Assert.Equal(1, Assert.Single(exposition.Named(Name + "_count", pipeline), s => s["outcome"] == "failed").Value);
    }

    [Fact]
    public async Task A_gauge_shows_the_last_value_per_topic_and_partition()
    {
        using var metrics = new PrometheusMetrics();

        AffinsyMetrics.RecordKafkaLag(pipeline, "orders", 0, 500);
        AffinsyMetrics.RecordKafkaLag(pipeline, "orders", 0, 12);
        AffinsyMetrics.RecordKafkaLag(pipeline, "orders", 1, 7);
        AffinsyMetrics.RecordKafkaLag(pipeline, "orders", 1000, 3);

        var exposition = (await PrometheusScrape.ParseAsync(metrics));
        Assert.Equal("gauge", exposition.Types["affinsy_kafka_consumer_lag"]);
        var lag = exposition.Named("affinsy_kafka_consumer_lag", pipeline).ToDictionary(s => s["partition"]!, s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["0"] = 12, ["1"] = 7, ["1000"] = 3 }, lag);
        Assert.All(exposition.Named("affinsy_kafka_consumer_lag", pipeline), s => Assert.Equal("orders", s["topic"]));
    }

    [Fact]
    public async Task Checkpoint_lag_grows_with_the_clock_until_the_next_checkpoint()
    {
        using var metrics = new PrometheusMetrics();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        AffinsyMetrics.RecordCheckpoint(pipeline, time.GetUtcNow().AddMinutes(-5), time);
        var first = Assert.Single((await PrometheusScrape.ParseAsync(metrics)).Named("affinsy_checkpoint_lag_seconds", pipeline)).Value;
        time.Advance(TimeSpan.FromSeconds(30));
        var later = Assert.Single((await PrometheusScrape.ParseAsync(metrics)).Named("affinsy_checkpoint_lag_seconds", pipeline)).Value;
        AffinsyMetrics.RecordCheckpoint(pipeline, time.GetUtcNow().AddSeconds(-2), time);
        var caughtUp = Assert.Single((await PrometheusScrape.ParseAsync(metrics)).Named("affinsy_checkpoint_lag_seconds", pipeline)).Value;

        Assert.Equal(300, first);
        Assert.Equal(330, later);
        Assert.Equal(2, caughtUp);
    }

    [Fact]
    public async Task Label_values_with_quotes_backslashes_and_line_feeds_are_escaped()
    {
        using var metrics = new PrometheusMetrics();
        var awkward = pipeline + " \"eu\\west\"\nline2";

        AffinsyMetrics.RecordOrdersRead(awkward, 3);

        var text = await PrometheusScrape.TextAsync(metrics);
        Assert.Contains($"affinsy_orders_read_total{{pipeline=\"{pipeline} \\\"eu\\\\west\\\"\\nline2\"}} 3\n", text, StringComparison.Ordinal);
        var sample = Assert.Single(Exposition.Parse(text).Named("affinsy_orders_read_total", awkward));
        Assert.Equal(3, sample.Value);
    }

    [Fact]
    public async Task Requests_carry_status_class_and_outcome_labels()
    {
        using var metrics = new PrometheusMetrics();

        AffinsyMetrics.RecordRequest(pipeline, 200);
        AffinsyMetrics.RecordRequest(pipeline, 201);
        AffinsyMetrics.RecordRequest(pipeline, 429);
        AffinsyMetrics.RecordRequest(pipeline, 503);
        AffinsyMetrics.RecordRequest(pipeline, 504, appliedUnanswered: true);
        AffinsyMetrics.RecordRequestWithoutAnswer(pipeline);

        var requests = (await PrometheusScrape.ParseAsync(metrics)).Named("affinsy_requests_total", pipeline)
            .ToDictionary(s => (s["status_class"], s["outcome"]), s => s.Value);
        Assert.Equal(
            new Dictionary<(string?, string?), double>
            {
                [("2xx", "accepted")] = 2, [("4xx", "throttled")] = 1, [("5xx", "server_error")] = 1, [("5xx", "applied_unanswered")] = 1,
                [("none", "transport_error")] = 1,
            },
            requests);
    }

    [Fact]
    public async Task The_whole_scrape_with_runtime_metrics_parses_and_names_follow_the_conventions()
    {
        using var metrics = new PrometheusMetrics();
        AffinsyMetrics.RecordRetry(pipeline);
        AffinsyMetrics.RecordReportDuration(pipeline, "standard_mba", "completed", TimeSpan.FromSeconds(12));
        AffinsyMetrics.RecordDeadLetters(pipeline, 2, DeadLetterReason.RefusedBySource);

        var exposition = (await PrometheusScrape.ParseAsync(metrics));

        Assert.All(exposition.Types.Where(t => t.Value == "counter"), t => Assert.EndsWith("_total", t.Key, StringComparison.Ordinal));
        Assert.Equal(1, Assert.Single(exposition.Named("affinsy_retries_total", pipeline)).Value);
        Assert.Equal(2, Assert.Single(exposition.Named("affinsy_dead_letters_total", pipeline), s => s["reason"] == "refused_by_source").Value);
        Assert.Equal(1, Assert.Single(exposition.Named("affinsy_report_duration_seconds_count", pipeline), s => s["template"] == "standard_mba").Value);
        Assert.Contains(exposition.Types.Keys, name => name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("affinsy.sync.duration", "s", false, "affinsy_sync_duration_seconds")]
    [InlineData("affinsy.orders.read", "{order}", true, "affinsy_orders_read_total")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", true, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("process.cpu.utilization", "1", false, "process_cpu_utilization_ratio")]
    [InlineData("9lives-metric.count", null, false, "_9lives_metric_count")]
    public void Instrument_names_map_to_prometheus_names(string instrument, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusNames.Metric(instrument, unit, counter));
}
