using Affinsy.Testing;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// <c>validate</c> through the real executable refuses, with file:line, YAML path and what to do, each thing
/// <c>sync</c> would otherwise refuse or fail on later. Templates and param ranges: /work/shared/AFFINSY_API.md
/// ("Reports" table and "Params").
/// </summary>
public sealed class ValidateTests
{
    private const string Remote = "https://www.affinsy.com/api/v1";

    [Theory]
    [InlineData("${AFFINSY_API_KEY:-}", "AFFINSY_API_KEY", "is empty ($AFFINSY_API_KEY unset or empty in the environment) and base_url is not embedded: set AFFINSY_API_KEY in the environment")]
    [InlineData("${TEAM_AFFINSY_KEY:-}", "TEAM_AFFINSY_KEY", "is empty ($TEAM_AFFINSY_KEY unset or empty in the environment) and base_url is not embedded: set TEAM_AFFINSY_KEY in the environment")]
    [InlineData("\"\"", "AFFINSY_API_KEY", "is empty and base_url is not embedded: set AFFINSY_API_KEY in the environment and write api_key: ${AFFINSY_API_KEY}")]
    public async Task An_empty_api_key_with_a_remote_base_url_names_what_to_set(string written, string variable, string expected)
    {
        using var dir = new TempDirectory();
        Write(dir, $"affinsy:\n  base_url: {Remote}\n  api_key: {written}\npipelines: []\n");

        var run = await HostProcess.RunAsync(dir.Path, new Dictionary<string, string> { [variable] = "" }, "validate");

        AssertRefused(run, "connectors.yaml:3 affinsy.api_key: " + expected);
        Assert.Contains("use base_url: embedded to run offline", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_report_template_is_refused_with_the_closest_known_one()
    {
        using var dir = new TempDirectory();
        Write(dir, Pipeline("[ { template: standard_mab }, { template: weekly_digest } ]"));

        var run = await HostProcess.RunAsync(dir.Path, null, "validate");

        AssertRefused(run, "connectors.yaml:5 pipelines[0].reports[0].template: 'standard_mab' is not an Affinsy report template; did you mean 'standard_mba'?");
        Assert.Contains("connectors.yaml:5 pipelines[0].reports[1].template: 'weekly_digest' is not an Affinsy report template; expected one of: standard_mba, first_order, repeat_purchase, high_value_baskets, churning_analysis, standard_rfm, new_customer_cohort", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Params_of_the_wrong_type_or_out_of_range_are_refused_with_the_accepted_range()
    {
        using var dir = new TempDirectory();
        Write(dir, Pipeline("""

                  - { template: standard_rfm, params: { bins: five } }
                  - { template: standard_mba, params: { min_support: 2, max_len: 3, max_consequent: 2, min_confidance: 0.5 } }
            """));

        var run = await HostProcess.RunAsync(dir.Path, null, "validate");

        AssertRefused(run, "connectors.yaml:6 pipelines[0].reports[0].params.bins: expected a whole number from 2 to 10, got 'five'");
        Assert.Contains("connectors.yaml:7 pipelines[0].reports[1].params.min_support: expected a number greater than 0 and at most 1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("got '2'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("connectors.yaml:7 pipelines[0].reports[1].params.min_confidance: is not an MBA param; did you mean 'min_confidence'?", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("max_consequent", run.Stderr, StringComparison.Ordinal); // 2 <= max_len - 1
    }

    [Fact]
    public async Task A_loopback_webhook_listener_with_a_remote_affinsy_and_no_public_url_is_refused()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string> { ["AFFINSY_API_KEY"] = "afn_validate_test_key" };
        const string affinsy = $"affinsy: {{ base_url: {Remote}, api_key: \"${{AFFINSY_API_KEY}}\" }}\n";
        Write(dir, affinsy + "webhooks:\n  listen: \"http://127.0.0.1:5080\"\npipelines: []\n");

        var run = await HostProcess.RunAsync(dir.Path, env, "validate");

        AssertRefused(run, "connectors.yaml:3 webhooks.listen: 'http://127.0.0.1:5080' is a loopback address, which Affinsy at www.affinsy.com can never reach, and there is no public_url: set webhooks.public_url");
        Assert.DoesNotContain("afn_validate_test_key", run.Stdout + run.Stderr, StringComparison.Ordinal);

        Write(dir, affinsy + "webhooks:\n  listen: \"http://127.0.0.1:5080\"\n  public_url: https://hooks.example.com\npipelines: []\n");
        var withPublicUrl = await HostProcess.RunAsync(dir.Path, env, "validate");
        Assert.True(withPublicUrl.ExitCode == 0, withPublicUrl.Stdout + withPublicUrl.Stderr);
    }

    [Fact]
    public async Task A_missing_relative_path_names_the_directory_of_the_configuration_file_not_the_working_directory()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("deploy"));
        File.WriteAllText(dir.File("deploy/connectors.yaml"), "pipelines:\n  - name: a\n    dataset_id: a\n    source: { type: csv, path: data/orders.csv }\n");
        var deploy = Path.GetFullPath(dir.File("deploy"));

        var run = await HostProcess.RunAsync(dir.Path, null, "validate", "--config", "deploy/connectors.yaml");

        AssertRefused(run, $"connectors.yaml:4 pipelines[0].source.path: file not found: data/orders.csv (relative paths resolve against the configuration file's directory, {deploy})");

        Directory.CreateDirectory(dir.File("deploy/data"));
        File.WriteAllText(dir.File("deploy/data/orders.csv"), "order_id,order_date,product_name,quantity,unit_price\n");
        var fixedRun = await HostProcess.RunAsync(dir.Path, null, "validate", "--config", "deploy/connectors.yaml");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.Stdout + fixedRun.Stderr);
        Assert.Contains($"Relative paths resolve against the configuration file's directory: {deploy}", fixedRun.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_connectors_yaml_validates_clean_offline_and_names_the_key_when_pointed_at_the_real_service()
    {
        using var dir = new TempDirectory();
        var repo = RepositoryRoot();
        File.Copy(Path.Combine(repo, "connectors.yaml"), dir.File("connectors.yaml"));
        Directory.CreateDirectory(dir.File("samples"));
        File.Copy(Path.Combine(repo, "samples", "sample-store.csv.gz"), dir.File("samples/sample-store.csv.gz"));

        var offline = await HostProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["AFFINSY_BASE_URL"] = "", ["AFFINSY_API_KEY"] = "" }, "validate");
        Assert.True(offline.ExitCode == 0, offline.Stdout + offline.Stderr);
        Assert.DoesNotContain("warning", offline.Stdout, StringComparison.Ordinal);

        var remote = await HostProcess.RunAsync(dir.Path, new Dictionary<string, string> { ["AFFINSY_BASE_URL"] = Remote, ["AFFINSY_API_KEY"] = "" }, "validate");
        AssertRefused(remote, "affinsy.api_key: is empty ($AFFINSY_API_KEY unset or empty in the environment)");
    }

    private static string Pipeline(string reports) =>
        $"pipelines:\n  - name: a\n    dataset_id: a\n    source: {{ type: csv, path: orders.csv }}\n    reports: {reports}\n";

    private static void Write(TempDirectory dir, string yaml)
    {
        File.WriteAllText(dir.File("connectors.yaml"), yaml);
        File.WriteAllText(dir.File("orders.csv"), "order_id,order_date,product_name,quantity,unit_price\n");
    }

    private static void AssertRefused((int ExitCode, string Stdout, string Stderr) run, string expected)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stdout}{run.Stderr}");
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Affinsy.Connect.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
