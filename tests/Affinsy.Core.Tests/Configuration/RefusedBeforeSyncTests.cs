using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Tests.Configuration;

/// <summary>
/// What the loader refuses so that <c>sync</c> never has to, and what it must keep accepting. Templates and param
/// ranges: /work/shared/AFFINSY_API.md ("Reports" table, "Params").
/// </summary>
public sealed class RefusedBeforeSyncTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-config-refused-").FullName;
    private readonly Dictionary<string, string> _environment = new() { ["AFFINSY_API_KEY"] = "" };

    public RefusedBeforeSyncTests() => File.WriteAllText(Path.Combine(_directory, "orders.csv"), "order_id\n");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("embedded")]
    [InlineData("http://127.0.0.1:5000/api/v1")]
    public void An_empty_key_is_fine_for_the_embedded_server_and_a_loopback_listener_is_fine_for_a_local_one(string baseUrl)
    {
        _environment["AFFINSY_API_KEY"] = baseUrl == "embedded" ? "" : "afn_local";

        var config = Parse($"affinsy: {{ base_url: \"{baseUrl}\", api_key: \"${{AFFINSY_API_KEY:-}}\" }}\nwebhooks: {{ listen: \"http://localhost:5080\" }}\npipelines: []\n");

        Assert.Equal(baseUrl, config.Affinsy.BaseUrl);
    }

    [Fact]
    public void A_missing_api_key_with_a_remote_base_url_is_one_problem_where_the_affinsy_section_starts()
    {
        var problem = Assert.Single(Refused("affinsy:\n  base_url: https://www.affinsy.com/api/v1\npipelines: []\n"));

        Assert.Equal((2, "affinsy.api_key"), (problem.Line, problem.Path));
        Assert.Contains("set AFFINSY_API_KEY in the environment and write api_key: ${AFFINSY_API_KEY}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listener_on_every_interface_is_not_refused_as_loopback()
    {
        _environment["AFFINSY_API_KEY"] = "afn_remote";

        var config = Parse("affinsy: { base_url: https://www.affinsy.com/api/v1, api_key: \"${AFFINSY_API_KEY}\" }\nwebhooks: { listen: \"http://0.0.0.0:5080\" }\npipelines: []\n");

        Assert.Null(config.Webhooks.PublicUrl);
    }

    [Fact]
    public void Every_template_of_the_contract_is_accepted_with_params_at_the_edges_of_their_ranges()
    {
        var config = Parse(Reports("""

                  - { template: standard_mba, params: { min_support: 1, min_confidence: 0, min_lift: 0, scope: customer, customer_scope: churning, max_len: 10, max_rules: 100000, max_consequent: 9 } }
                  - { template: first_order, params: { min_support: 0.0001 } }
                  - { template: repeat_purchase }
                  - { template: high_value_baskets }
                  - { template: churning_analysis }
                  - { template: standard_rfm, params: { bins: 2, customer_scope: new_90d } }
                  - { template: new_customer_cohort, params: { bins: 10 } }
            """));

        Assert.Equal(7, config.Pipelines[0].Reports.Count);
    }

    [Theory]
    [InlineData("standard_mba", "min_support: 0", "params.min_support", "greater than 0 and at most 1")]
    [InlineData("standard_mba", "max_consequent: 4", "params.max_consequent", "must be from 1 to max_len - 1 (3)")]
    [InlineData("standard_mba", "{ max_len: 2, max_consequent: 2 }", "params.max_consequent", "must be from 1 to max_len - 1 (1)")]
    [InlineData("standard_mba", "customer_scope: new_90d", "params.customer_scope", "'new_90d' is not allowed; expected one of: all, first_order, repeat, high_value, churning")]
    [InlineData("standard_rfm", "bins: 11", "params.bins", "expected a whole number from 2 to 10, got '11'")]
    [InlineData("new_customer_cohort", "min_support: 0.1", "params.min_support", "is not an RFM param")]
    public void A_param_the_api_would_refuse_is_a_problem_at_its_path(string template, string param, string path, string expected)
    {
        var body = param.StartsWith('{') ? param : $"{{ {param} }}";

        var problem = Assert.Single(Refused(Reports($"[ {{ template: {template}, params: {body} }} ]")));

        Assert.Equal("pipelines[0].reports[0]." + path, problem.Path);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_param_from_the_environment_is_not_echoed()
    {
        _environment["MBA_SUPPORT"] = "7";

        var problem = Assert.Single(Refused(Reports("[ { template: standard_mba, params: { min_support: \"${MBA_SUPPORT}\" } } ]")));

        Assert.Contains("(value not shown", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'7'", problem.Message, StringComparison.Ordinal);
    }

    private static string Reports(string reports) =>
        $"pipelines:\n  - name: a\n    dataset_id: a\n    source: {{ type: fake, path: orders.csv }}\n    reports: {reports}\n";

    private IReadOnlyList<ConfigProblem> Refused(string yaml) =>
        Assert.Throws<ConfigurationException>(() => Parse(yaml)).Problems;

    private ConnectorsConfig Parse(string yaml) =>
        ConnectorsConfigLoader.Parse(yaml, "test.yaml", _directory, Registry(), name => _environment.GetValueOrDefault(name));

    // These tests never read orders: a source that is never created keeps them about configuration alone.
    private static SourceRegistry Registry() => new SourceRegistry().Add("fake", section =>
    {
        section.RejectUnknownKeys(["type", "path"]);
        return _ => throw new InvalidOperationException("no source is created in these tests");
    });
}
