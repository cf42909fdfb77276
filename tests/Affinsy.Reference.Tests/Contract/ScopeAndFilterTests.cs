using System.Text.Json;
using System.Text.Json.Nodes;
using Affinsy.Testing;
using Xunit;

namespace Affinsy.Reference.Tests.Contract;

/// <summary>
/// Templates, overrides, filters and every customer scope through HTTP, on a store small enough to
/// derive each expected basket count by hand:
/// 1 alice 2025-01-10 {Tea, Cup}; 2 alice 2025-03-01 {Tea}; 3 bob 2025-02-01 {Pot, Tea};
/// 4 carol 2025-03-02 {Cup}; 5 guest 2025-03-03 {Tea, Cup}. Spend: alice 10, bob 23, carol 2.
/// </summary>
public sealed class ScopeAndFilterTests : ServerTestBase
{
    private static readonly string Store = Orders.Array(
        Orders.One("1", "alice", "2025-01-10T09:00:00Z", ("Tea", 3, 1), ("Cup", 2, 2)),
        Orders.One("2", "alice", "2025-03-01T09:00:00Z", ("Tea", 3, 1)),
        Orders.One("3", "bob", "2025-02-01T09:00:00Z", ("Pot", 20, 1), ("Tea", 3, 1)),
        Orders.One("4", "carol", "2025-03-02T09:00:00Z", ("Cup", 2, 1)),
        Orders.One("5", null, "2025-03-03T09:00:00Z", ("Tea", 3, 1), ("Cup", 2, 1)));

    [Theory]
    [InlineData("""{"template":"standard_mba"}""", 5)]
    [InlineData("""{"template":"first_order"}""", 3)]          // each customer's earliest: 1, 3, 4
    [InlineData("""{"template":"repeat_purchase"}""", 1)]      // alice's second order
    [InlineData("""{"template":"high_value_baskets"}""", 1)]   // top 20% of 3 customers = bob
    [InlineData("""{"template":"churning_analysis"}""", 0)]    // nobody lapsed 180 days before 2025-03-03
    [InlineData("""{"template":"first_order","params":{"customer_scope":"all"}}""", 5)]
    [InlineData("""{"report_type":"MBA","params":{"scope":"customer"}}""", 3)]
    [InlineData("""{"template":"standard_mba","filters":{"dateRange":{"start":"2025-03-01","end":"2025-03-02"}}}""", 2)]
    public async Task Mba_baskets_follow_the_template_scope_and_filters(string request, int baskets)
    {
        var report = await RunAsync(request);

        Assert.Equal("Completed", report.GetProperty("status").GetString());
        Assert.Equal(baskets, report.GetProperty("results").GetProperty("baskets").GetInt32());
    }

    [Fact]
    public async Task An_override_keeps_the_template_name_and_echoes_the_effective_params()
    {
        var report = await RunAsync("""{"template":"first_order","params":{"customer_scope":"all","min_support":0.4}}""");

        Assert.Equal("first_order", report.GetProperty("template").GetString());
        Assert.Equal("MBA", report.GetProperty("report_type").GetString());
        var effective = report.GetProperty("params");
        Assert.Equal("all", effective.GetProperty("customer_scope").GetString());
        Assert.Equal(0.4m, effective.GetProperty("min_support").GetDecimal());
        Assert.Equal(0.1m, effective.GetProperty("min_confidence").GetDecimal());
        var rule = Assert.Single(report.GetProperty("results").GetProperty("rules").EnumerateArray(), r => r.GetProperty("antecedent")[0].GetString() == "Cup");
        Assert.Equal("Tea", rule.GetProperty("consequent")[0].GetString());
        Assert.Equal(2, rule.GetProperty("count").GetInt32()); // {Tea, Cup} in orders 1 and 5
    }

    [Fact]
    public async Task The_new_customer_cohort_counts_customers_whose_first_order_is_within_90_days_of_the_data()
    {
        var report = await RunAsync("""{"template":"new_customer_cohort"}""");

        var results = report.GetProperty("results");
        Assert.Equal("2025-03-03", results.GetProperty("reference_date").GetString());
        Assert.Equal(3, results.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task A_date_filter_moves_the_reference_date_to_the_latest_order_inside_it()
    {
        var report = await RunAsync("""{"template":"standard_rfm","filters":{"dateRange":{"start":"2025-01-01","end":"2025-02-28"}}}""");

        var results = report.GetProperty("results");
        Assert.Equal("2025-02-01", results.GetProperty("reference_date").GetString());
        Assert.Equal(2, results.GetProperty("customers").GetInt32()); // alice (order 1) and bob
        Assert.Equal("2025-01-01", report.GetProperty("filters").GetProperty("dateRange").GetProperty("start").GetString());
    }

    private async Task<JsonElement> RunAsync(string request)
    {
        await using var receiver = await WebhookReceiver.StartAsync(TestContext.Current.CancellationToken);
        var server = await StartAsync();
        using var api = new ApiCall(server);
        await api.PushAsync("s", Store);
        var node = JsonNode.Parse(request)!.AsObject();
        node["dataset_id"] = "s";
        node["webhook_url"] = receiver.Url.ToString();
        var body = node.ToJsonString();

        var created = await api.Post("reports", body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, created.Status);
        await receiver.WhenReceivedAsync(1).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return (await api.Get($"reports/{created.Json.GetProperty("report_id").GetString()}")).Json;
    }
}
