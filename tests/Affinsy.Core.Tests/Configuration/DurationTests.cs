using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Core.Tests.Configuration;

/// <summary>One duration syntax for every connector's settings (lookback, timeouts, idle times).</summary>
public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1.5h", 5400)]
    [InlineData("1d", 86400)]
    [InlineData("00:02:30", 150)]
    public void Durations_read_in_every_documented_form(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Bind($"wait: \"{text}\"").Value);
    }

    [Fact]
    public void An_absent_duration_is_the_default()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), Bind("other: 1", allowOther: true).Value);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("3w")]
    [InlineData("2d")]
    public void A_bare_number_an_unknown_unit_or_more_than_the_maximum_is_a_problem_at_its_line(string text)
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind($"wait: \"{text}\""));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("pipelines[0].source.wait", problem.Path);
        Assert.Equal(6, problem.Line);
        Assert.Contains("expected a duration", problem.Message, StringComparison.Ordinal);
    }

    private static StrongBox Bind(string setting, bool allowOther = false)
    {
        var box = new StrongBox();
        var registry = new SourceRegistry().Add("probe", section =>
        {
            section.RejectUnknownKeys(allowOther ? ["type", "wait", "other"] : ["type", "wait"]);
            box.Value = section.GetDuration("wait", TimeSpan.FromMinutes(10), TimeSpan.FromDays(1));
            return null;
        });
        ConnectorsConfigLoader.Parse($$"""
            pipelines:
              - name: p
                dataset_id: p
                source:
                  type: probe
                  {{setting}}
            """, "connectors.yaml", Path.GetTempPath(), registry);
        return box;
    }

    private sealed class StrongBox
    {
        public TimeSpan? Value { get; set; }
    }
}
