using System.Text;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Tests.Configuration;

/// <summary>Files that once killed or stalled the loader: each must come back as problem lines instead.</summary>
public sealed class HostileConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-hostile-").FullName;
    private readonly Dictionary<string, string> _environment = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("state: { path: \"state\\0.db\" }\npipelines: []\n", "state.path")]
    [InlineData("output_dir: \"out\\0put\"\npipelines: []\n", "output_dir")]
    public void A_nul_in_a_path_is_a_problem_naming_the_key(string yaml, string path)
    {
        var problem = Assert.Single(Refused(yaml));

        Assert.Equal(path, problem.Path);
        Assert.Equal(1, problem.Line);
        Assert.Contains("NUL character", problem.Message, StringComparison.Ordinal);
        Assert.Contains("remove it", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Twenty_thousand_nested_brackets_are_a_problem_not_a_stack_overflow()
    {
        var yaml = "pipelines: " + new string('[', 20_000) + new string(']', 20_000) + "\n";

        var problem = Assert.Single(Refused(yaml));

        Assert.Equal(1, problem.Line);
        Assert.Contains($"nested more than {YamlShapeLimits.MaxDepth} levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_refused_before_anything_walks_it()
    {
        // The "billion laughs" shape: each anchor repeats the previous one nine times, 9^9 values from ~400 bytes.
        var yaml = new StringBuilder("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 8; i++)
        {
            var previous = $"*a{i - 1}";
            yaml.Append($"x{i}: &a{i} [{string.Join(", ", Enumerable.Repeat(previous, 9))}]\n");
        }

        yaml.Append("pipelines: *a8\n");

        var problem = Assert.Single(Refused(yaml.ToString()));

        Assert.Contains("aliases", problem.Message, StringComparison.Ordinal);
        Assert.InRange(problem.Line, 1, 10);
    }

    [Fact]
    public void Ordinary_anchors_and_aliases_still_load()
    {
        var config = Parse("""
            state: { path: &shared custom.db }
            output_dir: *shared
            pipelines: []
            """);

        Assert.Equal(Path.Combine(_directory, "custom.db"), config.State.Path);
        Assert.Equal(Path.Combine(_directory, "custom.db"), config.OutputDirectory);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_as_a_whole()
    {
        var yaml = "pipelines: []\n" + new string('#', YamlShapeLimits.MaxChars) + "\n";

        var problem = Assert.Single(Refused(yaml));

        Assert.Equal(0, problem.Line);
        Assert.Contains("--config", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("afn_0123456789abcdef\n", "ends with a line break")]
    [InlineData("afn_0123456789abcdef\r\n", "ends with a line break")]
    [InlineData("afn_0123\r\n456789abcdef", "contains a line break")]
    [InlineData("afn_0123 456789abcdef", "contains a space")]
    public void An_api_key_that_cannot_go_into_a_header_is_refused_without_echoing_it(string key, string expected)
    {
        _environment["AFFINSY_API_KEY"] = key;

        var problem = Assert.Single(Refused("affinsy: { base_url: \"https://example.test/api/v1\", api_key: \"${AFFINSY_API_KEY}\" }\npipelines: []\n"));

        Assert.Equal("affinsy.api_key", problem.Path);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123", problem.ToString(), StringComparison.Ordinal);
    }

    private IReadOnlyList<ConfigProblem> Refused(string yaml) =>
        Assert.Throws<ConfigurationException>(() => Parse(yaml)).Problems;

    private ConnectorsConfig Parse(string yaml) =>
        ConnectorsConfigLoader.Parse(yaml, "test.yaml", _directory, new SourceRegistry(), name => _environment.GetValueOrDefault(name));
}
