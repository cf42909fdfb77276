using Affinsy.Core.Configuration;
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
}
