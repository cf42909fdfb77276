using System.Net;

using Xunit;

namespace Affinsy.Reference.Tests.Contract;

public sealed class AuthAndQuotaTests : ServerTestBase
{
    private const string TwoUsers = """
        users:
          - { id: alice, plan: max, keys: [afn_alice_1, afn_alice_2] }
          - { id: bob, plan: enterprise, keys: [afn_bob] }
          - { id: carol, plan: pro, keys: [afn_carol] }
          - { id: dave, plan: free, keys: [afn_dave] }
        limits: { requests_per_window: 3, window_seconds: 10 }
        """;

    [Fact]
    public async Task Missing_or_unknown_key_is_401_with_the_contract_message()
    {
        var server = await StartAsync();
        using var api = new ApiCall(server, key: null);

        var missing = await api.Get("datasets");
        var unknown = await api.Get("datasets", asKey: "afn_nobody");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("Invalid or missing API key.", missing.Json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal("60", missing.Header("X-RateLimit-Limit"));
        Assert.NotNull(missing.Header("X-RateLimit-Remaining"));
    }

    [Theory]
    [InlineData("afn_carol")]
    [InlineData("afn_dave")]
    public async Task Plans_below_max_get_403(string key)
    {
        var server = await StartAsync(Users(TwoUsers), fakeClock: true);
        using var api = new ApiCall(server, key);

        var answer = await api.Get("datasets");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("API access requires the Max plan or higher.", answer.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Quota_is_per_user_across_its_keys_and_not_across_users()
    {
        var server = await StartAsync(Users(TwoUsers), fakeClock: true);
        using var api = new ApiCall(server, "afn_alice_1");

        var first = await api.Get("datasets");
        var second = await api.Get("datasets", asKey: "afn_alice_2");
        var third = await api.Get("datasets");
        var fourth = await api.Get("datasets", asKey: "afn_alice_2");
        var bob = await api.Get("datasets", asKey: "afn_bob");

        Assert.Equal(["2", "1", "0"], new[] { first, second, third }.Select(a => a.Header("X-RateLimit-Remaining")));
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.Status);
        Assert.Equal("Rate limit exceeded.", fourth.Json.GetProperty("error").GetString());
        Assert.Equal("3", fourth.Header("X-RateLimit-Limit"));
        Assert.Equal("0", fourth.Header("X-RateLimit-Remaining"));
        Assert.Equal(HttpStatusCode.OK, bob.Status);
        Assert.Equal("2", bob.Header("X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task Retry_after_is_the_time_until_the_oldest_request_leaves_the_window_and_429s_are_not_counted()
    {
        var server = await StartAsync(Users(TwoUsers), fakeClock: true);
        using var api = new ApiCall(server, "afn_alice_1");

        await api.Get("datasets");
        Clock.Advance(TimeSpan.FromSeconds(3.5));
        await api.Get("datasets");
        await api.Get("datasets");
        var refused = await api.Get("datasets");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var refusedAgain = await api.Get("datasets");
        Clock.Advance(TimeSpan.FromSeconds(5.5)); // 10 s after the first request: it leaves the window
        var allowed = await api.Get("datasets");
        var fullAgain = await api.Get("datasets");

        Assert.Equal("7", refused.Header("Retry-After")); // 6.5 s left, rounded up
        Assert.Equal("6", refusedAgain.Header("Retry-After")); // 5.5 s left: the refused request was not counted
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal("0", allowed.Header("X-RateLimit-Remaining"));
        Assert.Equal(HttpStatusCode.TooManyRequests, fullAgain.Status);
        Assert.Equal("4", fullAgain.Header("Retry-After")); // the request at 3.5 s leaves at 13.5 s
    }

    [Fact]
    public async Task Every_error_carries_rate_limit_headers()
    {
        var server = await StartAsync(Users(TwoUsers), fakeClock: true);
        using var api = new ApiCall(server, "afn_bob");

        var notFound = await api.Get("datasets/none");
        var invalid = await api.Post("data/orders", "{}");

        foreach (var answer in new[] { notFound, invalid })
        {
            Assert.Equal("3", answer.Header("X-RateLimit-Limit"));
            Assert.NotNull(answer.Header("X-RateLimit-Remaining"));
            Assert.True(answer.Json.TryGetProperty("error", out _));
        }
    }
}
