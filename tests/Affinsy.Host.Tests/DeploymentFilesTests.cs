using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Affinsy.Host.Tests;

/// <summary>
/// No Docker engine runs here, so the deployment files are checked as data: they parse, and the pieces that
/// must agree (ports, paths, the drain and the grace period) do.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Directory = AppContext.BaseDirectory;

    [Fact]
    public void The_compose_file_runs_postgres_kraft_kafka_and_two_workers_sharing_the_postgres_state()
    {
        var services = Map(Load("deploy/docker-compose.yml"), "services");

        Assert.Contains("postgres", services.Children.Keys.Select(k => k.ToString()));
        var kafka = Map(Map(services, "kafka"), "environment");
        Assert.Equal("broker,controller", Scalar(kafka, "KAFKA_PROCESS_ROLES"));
        Assert.DoesNotContain(kafka.Children.Keys, k => k.ToString().Contains("ZOOKEEPER", StringComparison.Ordinal));

        var worker = Map(services, "worker");
        Assert.Equal("2", Scalar(Map(worker, "deploy"), "replicas"));
        Assert.Equal("true", Scalar(worker, "read_only"));
        Assert.Contains("/tmp", Sequence(worker, "tmpfs"));
        Assert.Contains("./connectors.yaml:/etc/affinsy/connectors.yaml:ro", Sequence(worker, "volumes"));
        Assert.StartsWith("Host=postgres;", Scalar(Map(worker, "environment"), "AFFINSY_STATE_CONNECTION"), StringComparison.Ordinal);
        Assert.Equal(["run", "--config", "/etc/affinsy/connectors.yaml"], Sequence(worker, "command"));
    }

    [Fact]
    public void The_workers_configuration_uses_postgres_state_and_listens_where_the_health_check_looks()
    {
        var config = Load("deploy/connectors.yaml");
        var state = Map(config, "state");
        var worker = Map(config, "worker");
        var dockerfile = File.ReadAllText(Path.Combine(Directory, "Dockerfile"));

        Assert.Equal("postgres", Scalar(state, "provider"));
        Assert.Equal("${AFFINSY_STATE_CONNECTION}", Scalar(state, "connection_string"));
        var listen = new Uri(Scalar(worker, "listen"));
        Assert.Equal("0.0.0.0", listen.Host);
        Assert.Contains($"/dev/tcp/127.0.0.1/{listen.Port}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {listen.Port}", dockerfile, StringComparison.Ordinal);
        Assert.Equal("true", Scalar(Map(worker, "metrics"), "prometheus"));
    }

    [Fact]
    public void Docker_waits_longer_than_the_drain_timeout_before_killing_a_worker()
    {
        var drain = Seconds(Scalar(Map(Load("deploy/connectors.yaml"), "worker"), "drain_timeout"));
        var grace = Seconds(Scalar(Map(Map(Load("deploy/docker-compose.yml"), "services"), "worker"), "stop_grace_period"));

        Assert.True(grace > drain, $"stop_grace_period {grace}s must exceed drain_timeout {drain}s");
    }

    [Fact]
    public void Every_pipeline_of_the_example_has_a_source_and_the_stream_schedules_its_reports()
    {
        var pipelines = ((YamlSequenceNode)Load("deploy/connectors.yaml").Children[new YamlScalarNode("pipelines")])
            .Children.Cast<YamlMappingNode>().ToDictionary(p => Scalar(p, "name"));

        Assert.All(pipelines.Values, p => Assert.NotEmpty(Scalar(Map(p, "source"), "type")));
        Assert.Matches(CronPattern(), Scalar(pipelines["sample-store"], "schedule"));
        var stream = pipelines["order-events"];
        Assert.Equal("true", Scalar(Map(stream, "source"), "stream"));
        Assert.Matches(CronPattern(), Scalar(stream, "report_schedule"));
        Assert.Equal("10000", Scalar(Map(stream, "reports_after"), "orders"));
    }

    [Fact]
    public void The_image_runs_affinsy_connect_as_a_non_root_user_with_diagnostics_off()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Directory, "Dockerfile"));

        Assert.Contains("ENTRYPOINT [\"affinsy-connect\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("CMD [\"run\", \"--config\", \"/etc/affinsy/connectors.yaml\"]", dockerfile, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^USER \$APP_UID$", RegexOptions.Multiline), dockerfile);
        Assert.Contains("DOTNET_EnableDiagnostics=0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime", dockerfile, StringComparison.Ordinal);
    }

    private static YamlMappingNode Load(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Directory, relative));
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        Assert.IsType<YamlMappingNode>(node.Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlMappingNode node, string key) =>
        Assert.IsType<YamlScalarNode>(node.Children[new YamlScalarNode(key)]).Value ?? string.Empty;

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        [.. Assert.IsType<YamlSequenceNode>(node.Children[new YamlScalarNode(key)]).Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty)];

    private static int Seconds(string duration)
    {
        var match = DurationPattern().Match(duration);
        Assert.True(match.Success, $"'{duration}' is not a duration like 30s or 2m");
        var value = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return match.Groups[2].Value == "m" ? value * 60 : value;
    }

    [GeneratedRegex(@"^(\d+)(s|m)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\S+ \S+ \S+ \S+ \S+ \S+( \S+)?$")]
    private static partial Regex CronPattern();
}
