using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Core.Tests.Configuration;

public sealed class ConnectorsConfigLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-config-").FullName;
    private readonly Dictionary<string, string> _environment = new();

    public ConnectorsConfigLoaderTests()
    {
        File.WriteAllText(Path.Combine(_directory, "orders.csv"), "order_id\n");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_complete_file_binds_every_section_with_defaults_filled_in()
    {
        _environment["AFFINSY_API_KEY"] = "afn_secret";
        var config = Parse("""
            affinsy:
              base_url: https://www.affinsy.com/api/v1
              api_key: ${AFFINSY_API_KEY}
              ingest: { max_in_flight: 1 }
              on_plan_cap: fail
            webhooks: { listen: "http://127.0.0.1:5080", public_url: "https://hooks.example.com" }
            pipelines:
              - name: store.main
                dataset_id: my-store
                source: { type: fake, path: orders.csv }
                schedule: "0 0/15 * * * ?"
                reports: [ { template: standard_mba }, { template: standard_rfm, name: rfm, params: { bins: 4 } } ]
            """);

        Assert.Equal(new Uri("https://www.affinsy.com/api/v1"), config.Affinsy.BaseUri);
        Assert.False(config.Affinsy.IsEmbedded);
        Assert.Equal("afn_secret", config.Affinsy.ApiKey);
        Assert.Equal(new IngestSettings { MaxInFlight = 1 }, config.Affinsy.Ingest);
        Assert.Equal(PlanCapPolicy.Fail, config.Affinsy.OnPlanCap);
        Assert.Equal(Path.Combine(_directory, ".affinsy", "state.db"), config.State.Path);
        Assert.Equal(Path.Combine(_directory, ".affinsy", "dead-letters"), config.State.DeadLetterDirectory);
        Assert.Equal("/hooks/affinsy", config.Webhooks.Path);
        var pipeline = Assert.Single(config.Pipelines);
        Assert.Equal(("store.main", "my-store", "fake", "0 0/15 * * * ?"), (pipeline.Name, pipeline.DatasetId, pipeline.SourceType, pipeline.Schedule));
        Assert.Equal(["standard_mba", "standard_rfm"], pipeline.Reports.Select(r => r.Template));
        Assert.Equal("4", pipeline.Reports[1].Params["bins"]);
        Assert.IsType<FakeSource>(pipeline.CreateSource(TimeProvider.System, NullLoggerFactory.Instance));
        Assert.DoesNotContain("afn_secret", config.Affinsy.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ from: 2025-01-01, to: 2025-03-31 }", "2025-01-01", "2025-03-31", null)]
    [InlineData("{ from: 2025-01-01 }", "2025-01-01", null, null)]
    [InlineData("{ last: 90d }", null, null, 90)]
    [InlineData("{ last: 30 }", null, null, 30)]
    public void A_reports_date_range_binds_fixed_bounds_or_last_days(string range, string? from, string? to, int? last)
    {
        var config = Parse(PipelineWithReportFilters(range));

        var bound = config.Pipelines[0].Reports[0].DateRange;
        Assert.Equal(new ReportDateRange(from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), last), bound);
    }

    [Theory]
    [InlineData("{ from: 2025-03-31, to: 2025-01-01 }", "test.yaml:6 pipelines[0].reports[0].filters.date_range.from: from (2025-03-31) is after to (2025-01-01)")]
    [InlineData("{ from: 01/02/2025 }", "test.yaml:6 pipelines[0].reports[0].filters.date_range.from: '01/02/2025' is not a date: write it as YYYY-MM-DD")]
    [InlineData("{ last: 3 months }", "test.yaml:6 pipelines[0].reports[0].filters.date_range.last: '3 months' is not a number of days: write it like 90d")]
    [InlineData("{ last: 7d, to: 2025-01-01 }", "test.yaml:6 pipelines[0].reports[0].filters.date_range.last: give either last or from/to, not both")]
    [InlineData("{ frm: 2025-01-01 }", "test.yaml:6 pipelines[0].reports[0].filters.date_range.frm:")]
    public void A_wrong_date_range_is_a_problem_naming_its_path(string range, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse(PipelineWithReportFilters(range)));

        Assert.Contains(e.Problems, p => p.ToString().StartsWith(problem, StringComparison.Ordinal));
    }

    private static string PipelineWithReportFilters(string range) => $$"""
        pipelines:
          - name: shop
            dataset_id: shop
            source: { type: fake, path: orders.csv }
            reports:
              - { template: standard_mba, filters: { date_range: {{range}} } }
        """;

    [Fact]
    public void An_empty_affinsy_section_means_the_embedded_server()
    {
        var config = Parse("pipelines: []\n");

        Assert.True(config.Affinsy.IsEmbedded);
        Assert.Equal(new IngestSettings(), config.Affinsy.Ingest);
        Assert.Empty(config.Pipelines);
    }

    [Fact]
    public void An_invalid_file_reports_every_problem_with_its_path_and_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            affinsy:
              base_url: ftp://nowhere
              ingest: { max_in_flight: 3 }
            pipelines:
              - name: a b
                dataset_id: ok
                source: { type: fake, path: samples/x.csv }
              - name: second
                source: { type: fakee }
            """));

        Assert.Equal(
            [
                "test.yaml:2 affinsy.base_url",
                "test.yaml:3 affinsy.ingest.max_in_flight",
                "test.yaml:5 pipelines[0].name",
                "test.yaml:7 pipelines[0].source.path",
                "test.yaml:8 pipelines[1].dataset_id",
                "test.yaml:9 pipelines[1].source.type",
            ],
            e.Problems.Select(p => p.ToString().Split(':')[0] + ":" + p.ToString().Split(':')[1]));
        Assert.Contains(e.Problems, p => p.ToString() == $"test.yaml:7 pipelines[0].source.path: file not found: samples/x.csv (relative paths resolve against the configuration file's directory, {_directory})");
        Assert.Contains(e.Problems, p => p.Message.Contains("did you mean 'fake'?", StringComparison.Ordinal));
        Assert.Contains("must be between 1 and 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_a_problem_with_a_suggestion()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            affinsy:
              base_ulr: embedded
            pipelines:
              - name: a
                dataset_id: a
                source: { type: fake, path: orders.csv }
                shedule: "0 * * * * ?"
            """));

        Assert.Equal(2, e.Problems.Count);
        Assert.Equal("test.yaml:2 affinsy.base_ulr: unknown key; did you mean 'base_url'?", e.Problems[0].ToString());
        Assert.Equal("test.yaml:7 pipelines[0].shedule: unknown key; did you mean 'schedule'?", e.Problems[1].ToString());
    }

    [Fact]
    public void An_unset_variable_is_a_problem_naming_it_and_its_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            affinsy:
              api_key: ${AFFINSY_API_KEY}
            """));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(2, problem.Line);
        Assert.Equal("affinsy.api_key", problem.Path);
        Assert.Contains("AFFINSY_API_KEY is not set", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_and_escapes_apply_inside_the_file()
    {
        _environment["DATASET"] = "from-env";
        var config = Parse("""
            affinsy: { base_url: "${AFFINSY_URL:-embedded}" }
            pipelines:
              - name: a
                dataset_id: ${DATASET}
                source: { type: fake, path: orders.csv }
                schedule: "$$literal"
            """);

        Assert.True(config.Affinsy.IsEmbedded);
        Assert.Equal("from-env", config.Pipelines[0].DatasetId);
        Assert.Equal("$literal", config.Pipelines[0].Schedule);
    }

    [Fact]
    public void A_secret_value_is_never_echoed_in_a_problem()
    {
        _environment["URL_FROM_ENV"] = "https//leaky-secret-in-url";
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            affinsy:
              base_url: ${URL_FROM_ENV}
              ingest: { max_in_flight: "${URL_FROM_ENV}" }
            state: { provider: sqlite, path: x.db, connection_string: "x" }
            pipelines:
              - name: a
                dataset_id: a
                source: { type: fake, path: orders.csv, access_token: hunter2-token }
            """));

        Assert.NotEmpty(e.Problems);
        Assert.DoesNotContain("leaky-secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
        Assert.Contains(e.Problems, p => p.Path == "affinsy.base_url");
        Assert.Contains(e.Problems, p => p.Path == "pipelines[0].source.access_token");
    }

    [Fact]
    public void Duplicate_pipeline_names_and_bad_dataset_ids_are_problems()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("""
            pipelines:
              - { name: a, dataset_id: "has space", source: { type: fake, path: orders.csv } }
              - { name: a, dataset_id: b, source: { type: fake, path: orders.csv } }
            """));

        Assert.Equal(["pipelines[0].dataset_id", "pipelines[1].name"], e.Problems.Select(p => p.Path));
        Assert.Contains("already used on line 2", e.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_yaml_is_one_problem_with_its_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("affinsy:\n  base_url: [unclosed\n"));

        var problem = Assert.Single(e.Problems);
        Assert.True(problem.Line > 0);
        Assert.StartsWith("not valid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_is_a_problem_with_its_line()
    {
        var e = Assert.Throws<ConfigurationException>(() => Parse("affinsy:\n  base_url: embedded\n  base_url: embedded\n"));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains("base_url", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_a_file_and_resolves_paths_against_its_directory()
    {
        var path = Path.Combine(_directory, "connectors.yaml");
        File.WriteAllText(path, "state: { path: state/s.db }\n");

        var config = ConnectorsConfigLoader.Load(path, new SourceRegistry(), _ => null);

        Assert.Equal(Path.Combine(_directory, "state", "s.db"), config.State.Path);
        Assert.Equal("connectors.yaml", config.FileName);
    }

    [Fact]
    public void A_missing_file_is_a_configuration_problem()
    {
        var e = Assert.Throws<ConfigurationException>(() => ConnectorsConfigLoader.Load(Path.Combine(_directory, "nope.yaml"), new SourceRegistry()));

        Assert.Contains("file not found", e.Message, StringComparison.Ordinal);
    }

    private ConnectorsConfig Parse(string yaml) =>
        ConnectorsConfigLoader.Parse(yaml, "test.yaml", _directory, Registry(), name => _environment.GetValueOrDefault(name));

    private static SourceRegistry Registry() => new SourceRegistry().Add("fake", section =>
    {
        section.RejectUnknownKeys(["type", "path"]);
        section.GetFilePath("path", required: true, mustExist: true);
        return _ => new FakeSource();
    });

    private sealed class FakeSource : IOrderSource
    {
        public IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, CancellationToken cancellationToken) => AsyncEnumerable.Empty<OrderBatch>();
    }
}
