using System.Net;
using System.Net.Sockets;
using System.Text;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Host.Sync;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary><c>check</c>'s Affinsy requests: one retry of a request that got no answer, none of an answer.</summary>
public sealed class AffinsyCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_that_got_no_answer_is_tried_once_more_and_the_second_answer_counts()
    {
        var network = new ScriptedNetwork(_ => throw new HttpRequestException("connection reset"), _ => Answer(HttpStatusCode.OK, "[]"));
        var key = await AskAsync(network, check => check.KeyAsync(Ct));

        Assert.True(key.Passed, key.Detail);
        Assert.Equal(2, network.Requests);
    }

    [Fact]
    public async Task Two_requests_without_answer_fail_with_what_to_check_and_no_third_is_made()
    {
        var network = new ScriptedNetwork(Refused, Refused, _ => Answer(HttpStatusCode.OK, "[]"));
        var key = await AskAsync(network, check => check.KeyAsync(Ct));

        Assert.False(key.Passed);
        Assert.Equal("127.0.0.1:9 refused the connection (nothing listening?): check affinsy.base_url in connectors.yaml", key.Detail);
        Assert.Equal(2, network.Requests);
    }

    [Fact]
    public async Task A_time_limit_reached_twice_says_it_was_tried_twice()
    {
        var network = new ScriptedNetwork(_ => throw new TaskCanceledException("timeout"), _ => throw new TaskCanceledException("timeout"));
        var dataset = await AskAsync(network, check => check.DatasetAsync("shop", Ct));

        Assert.False(dataset.Passed);
        Assert.Equal("127.0.0.1:9 did not answer within 10 s (tried twice): check affinsy.base_url in connectors.yaml and the network", dataset.Detail);
        Assert.Equal(2, network.Requests);
    }

    [Fact]
    public async Task An_answer_is_final_even_a_server_error()
    {
        var network = new ScriptedNetwork(_ => Answer(HttpStatusCode.ServiceUnavailable, "{\"error\":\"down for maintenance\"}"), _ => Answer(HttpStatusCode.OK, "[]"));
        var key = await AskAsync(network, check => check.KeyAsync(Ct));

        Assert.False(key.Passed);
        Assert.Equal("Affinsy answered 503 to GET /datasets: down for maintenance", key.Detail);
        Assert.Equal(1, network.Requests);
    }

    private static HttpResponseMessage Refused(HttpRequestMessage request) =>
        throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Asks a check of Affinsy at 127.0.0.1:9 (configured in connectors.yaml) over <paramref name="network"/>.</summary>
    private static async Task<CheckFinding> AskAsync(ScriptedNetwork network, Func<AffinsyCheck, Task<CheckFinding>> ask)
    {
        var config = ConnectorsConfigLoader.Parse(
            "affinsy: { base_url: \"http://127.0.0.1:9/api/v1\", api_key: \"${AFFINSY_API_KEY}\" }\npipelines: []\n", "connectors.yaml", Path.GetTempPath(),
            new Core.Sources.SourceRegistry(), name => name == "AFFINSY_API_KEY" ? "afn_check_test" : null);
        await using var endpoint = await AffinsyEndpoint.OpenAsync(config, Ct);
        using var check = new AffinsyCheck(endpoint, "connectors.yaml", new HttpClient(network), TimeProvider.System);
        return await ask(check);
    }

    /// <summary>The network, as far as the check can tell: each request gets the next scripted outcome.</summary>
    private sealed class ScriptedNetwork(params Func<HttpRequestMessage, HttpResponseMessage>[] outcomes) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(outcomes[Requests++](request));
    }
}
