using System.Net;
using Affinsy.Reference.Config;
using Affinsy.Reference.Tests.Contract;
using CsCheck;
using Xunit;

namespace Affinsy.Reference.Tests.Fuzz;

/// <summary>
/// The same bodies through Kestrel: every answer is a 200 or a 4xx whose body says what and where, never a 5xx,
/// and a refused request leaves the stored rows exactly as they were (all-or-nothing).
/// </summary>
public sealed class IngestServerProperties : ServerTestBase
{
    [Fact]
    public Task Any_mutated_body_is_answered_200_or_4xx_with_a_path_and_a_refusal_stores_nothing() => RunAsync(200);

    // Long runs only when asked: dotnet test --filter Category=Fuzz -- xUnit.Explicit=only
    [Fact(Explicit = true)]
    [Trait("Category", "Fuzz")]
    public Task Any_mutated_body_is_answered_200_or_4xx_with_a_path_and_a_refusal_stores_nothing_at_length() => RunAsync(20_000);

    private async Task RunAsync(int cases)
    {
        var server = await StartAsync(ReferenceSettings.LocalDefault() with { Limits = new ServerLimits { RequestsPerWindow = 10_000_000 } });
        using var api = new ApiCall(server);

        // Sampled on one thread: the stored-rows check needs each request to see the one before it.
        await Task.Run(() => IngestBodies.Mutated.Sample(body => SendAndCheckAsync(api, body).GetAwaiter().GetResult(), iter: cases, threads: 1));
    }

    private static async Task SendAndCheckAsync(ApiCall api, byte[] body)
    {
        var before = await StoredRowsAsync(api);

        var answer = await api.PostBytes("data/orders", body);

        Assert.InRange(answer.Code, 200, 499);
        var after = await StoredRowsAsync(api);
        if (answer.Status == HttpStatusCode.OK)
        {
            Assert.Equal(before + answer.Json.GetProperty("inserted").GetInt64(), after);
            return;
        }

        Assert.Equal(before, after);
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("error").GetString()));
        if (answer.Status == HttpStatusCode.BadRequest)
        {
            var details = answer.Json.GetProperty("details").EnumerateArray().ToList();
            Assert.NotEmpty(details);
            Assert.All(details, d => Assert.NotNull(d.GetProperty("path").GetString()));
        }
    }

    private static async Task<long> StoredRowsAsync(ApiCall api) =>
        (await api.Get("datasets")).Json.GetProperty("datasets").EnumerateArray().Sum(d => d.GetProperty("line_items").GetInt64());
}
