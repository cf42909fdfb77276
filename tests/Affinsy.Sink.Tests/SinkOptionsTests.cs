using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
namespace Affinsy.Sink.Tests;

public sealed class SinkOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_api_limits_and_valid()
    {
        var options = new SinkOptions { BaseUrl = new Uri("https://www.affinsy.com/api/v1"), ApiKey = "afn_x" };

        Assert.Empty(options.Validate());
        Assert.Equal(10_000, options.MaxLineItemsPerRequest);
        Assert.Equal(2, options.MaxInFlight);
        Assert.Equal(60, options.RequestsPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Window);
        Assert.Equal(PlanCapPolicy.Warn, options.OnPlanCap);
    }

    [Fact]
    public void Every_problem_is_reported_by_its_setting_name_without_the_key()
    {
        var options = new SinkOptions
        {
            BaseUrl = new Uri("ftp://x/"),
            ApiKey = " ",
            MaxLineItemsPerRequest = 10_001,
            MaxInFlight = 3,
            RequestsPerMinute = 0,
            MaxAttempts = 0,
        };

        var problems = options.Validate();

        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.Contains("AFFINSY_API_KEY", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("max_line_items_per_request", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("max_in_flight", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(options.EnsureValid);
    }

    [Fact]
    public void Options_bound_from_the_configuration_carry_every_ingest_setting_and_the_defaults_agree()
    {
        var loaded = ConnectorsConfigLoader.Parse("""
            affinsy:
              base_url: https://www.affinsy.com/api/v1
              api_key: afn_x
              on_plan_cap: fail
              ingest: { max_line_items_per_request: 500, max_in_flight: 1, requests_per_minute: 30, window_seconds: 10 }
            pipelines: []
            """, "connectors.yaml", Path.GetTempPath(), new SourceRegistry());

        var options = SinkOptions.From(loaded.Affinsy, new Uri("https://www.affinsy.com/api/v1"), "afn_x");

        Assert.Equal((500, 1, 30, TimeSpan.FromSeconds(10), PlanCapPolicy.Fail),
            (options.MaxLineItemsPerRequest, options.MaxInFlight, options.RequestsPerMinute, options.Window, options.OnPlanCap));
        var defaults = SinkOptions.From(new AffinsySettings(), new Uri("https://x/api/v1"), "afn_x");
        var unset = new SinkOptions { BaseUrl = new Uri("https://x/api/v1"), ApiKey = "afn_x" };
        Assert.Equal((unset.MaxLineItemsPerRequest, unset.MaxInFlight, unset.RequestsPerMinute, unset.Window),
            (defaults.MaxLineItemsPerRequest, defaults.MaxInFlight, defaults.RequestsPerMinute, defaults.Window));
    }
}
