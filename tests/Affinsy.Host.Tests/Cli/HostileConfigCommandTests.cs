using System.Text;
using Affinsy.Host.Cli;
using Xunit;

namespace Affinsy.Host.Tests.Cli;

/// <summary>Console output is process-wide: these tests swap it, so they run alone.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>
/// The command code path a user runs: a configuration that once crashed the process (stack overflow, unhandled
/// FormatException, ArgumentException) ends with exit code 2 and problem lines, and no stack trace.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class HostileConfigCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-hostile-cli-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("AFFINSY_TEST_HOSTILE_KEY", null);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Validate_reports_twenty_thousand_nested_brackets_as_a_problem_line()
    {
        var (exit, errors) = await RunAsync("validate", "pipelines: " + new string('[', 20_000) + new string(']', 20_000) + "\n");

        Assert.Equal(2, exit);
        Assert.Contains("connectors.yaml:1: nested more than 64 levels", errors, StringComparison.Ordinal);
        AssertNoStackTrace(errors);
    }

    [Fact]
    public async Task Validate_reports_a_nul_in_a_path_with_its_yaml_path()
    {
        var (exit, errors) = await RunAsync("validate", "state: { path: \"state\\0.db\" }\npipelines: []\n");

        Assert.Equal(2, exit);
        Assert.Contains("connectors.yaml:1 state.path: the path contains a NUL character", errors, StringComparison.Ordinal);
        AssertNoStackTrace(errors);
    }

    [Fact]
    public async Task Validate_reports_an_alias_bomb_as_a_problem_line()
    {
        var yaml = new StringBuilder("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 8; i++)
        {
            yaml.Append($"x{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        }

        var (exit, errors) = await RunAsync("validate", yaml.Append("pipelines: *a8\n").ToString());

        Assert.Equal(2, exit);
        Assert.Contains("once its aliases (*name) are replaced", errors, StringComparison.Ordinal);
        AssertNoStackTrace(errors);
    }

    [Fact]
    public async Task Sync_refuses_an_api_key_with_a_trailing_line_break_before_any_request_and_never_prints_it()
    {
        Environment.SetEnvironmentVariable("AFFINSY_TEST_HOSTILE_KEY", "afn_trailing_newline_key\r\n");
        var yaml = """
            affinsy: { base_url: "http://127.0.0.1:9/api/v1", api_key: "${AFFINSY_TEST_HOSTILE_KEY}" }
            pipelines: []
            """;

        var (exit, errors) = await RunAsync("sync", yaml);

        Assert.Equal(2, exit);
        Assert.Contains("connectors.yaml:1 affinsy.api_key: the API key ends with a line break", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("afn_trailing_newline_key", errors, StringComparison.Ordinal);
        AssertNoStackTrace(errors);
    }

    private static void AssertNoStackTrace(string errors)
    {
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Errors)> RunAsync(string command, string yaml)
    {
        var path = Path.Combine(_directory, "connectors.yaml");
        await File.WriteAllTextAsync(path, yaml, TestContext.Current.CancellationToken);
        var (outWas, errorWas) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            var exit = await CommandLine.RunAsync([command, "--config", path]);
            return (exit, errors.ToString());
        }
        finally
        {
            Console.SetOut(outWas);
            Console.SetError(errorWas);
        }
    }
}
