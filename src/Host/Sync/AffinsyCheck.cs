using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Polly;
using Polly.Retry;

namespace Affinsy.Host.Sync;

/// <summary>
/// What <c>check</c> verifies of Affinsy, with a plain HTTP client (<see cref="ConnectHttp.Check"/>, not the sink's,
/// whose retries would turn an unreachable host into half a minute of waiting): the key and plan, the rate limit it
/// announces, and each pipeline's dataset. Connecting gives up after <see cref="ConnectTimeout"/>, once retried at once
/// (a Polly pipeline on the injected <see cref="TimeProvider"/>, like the connectors' retries).
/// </summary>
internal sealed class AffinsyCheck : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly AffinsyEndpoint endpoint;
    private readonly string configFile;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <param name="endpoint">The Affinsy to check.</param>
    /// <param name="configFile">The configuration's file name, for the advice.</param>
    /// <param name="http">A client of <see cref="ConnectHttp.Check"/>; this check sets its address and key, and disposes it.</param>
    /// <param name="time">The clock of the retry (it waits nothing, but takes no clock of its own).</param>
    public AffinsyCheck(AffinsyEndpoint endpoint, string configFile, HttpClient http, TimeProvider time)
    {
        this.endpoint = endpoint;
        this.configFile = configFile;
        _http = http;
        _retry = OneRetry(time);
        _http.BaseAddress = endpoint.ApiBase;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
    }

    /// <summary>The key, the plan and the rate limit, from <c>GET /datasets</c>.</summary>
    public async Task<CheckFinding> KeyAsync(CancellationToken ct)
    {
        var (response, failure) = await GetAsync("datasets", ct);
        if (failure is not null)
        {
            return new CheckFinding("affinsy key", false, failure);
        }

        using (response)
        {
            return response!.StatusCode switch
            {
                HttpStatusCode.OK => new CheckFinding("affinsy key", true, "accepted" + RateLimit(response)),
                HttpStatusCode.Unauthorized => new CheckFinding("affinsy key", false,
                    $"Affinsy refused the key (401): set AFFINSY_API_KEY (affinsy.api_key in {configFile}) to a valid key; keys start with afn_."),
                HttpStatusCode.Forbidden => new CheckFinding("affinsy key", false,
                    $"Affinsy accepted the key but refused API access (403: {await ErrorAsync(response, ct)}): the API needs the Max plan or higher; upgrade the plan or use another key."),
                var other => new CheckFinding("affinsy key", false, $"Affinsy answered {(int)other} to GET /datasets: {await ErrorAsync(response, ct)}"),
            };
        }
    }

    /// <summary>The pipeline's dataset: its size, or that the first sync will create it.</summary>
    public async Task<CheckFinding> DatasetAsync(string datasetId, CancellationToken ct)
    {
        var (response, failure) = await GetAsync("datasets/" + Uri.EscapeDataString(datasetId), ct);
        if (failure is not null)
        {
            return new CheckFinding("dataset", false, failure);
        }

        using (response)
        {
            if (response!.StatusCode == HttpStatusCode.NotFound)
            {
                return new CheckFinding("dataset", true, $"{datasetId} does not exist yet; the first sync creates it");
            }

            if (!response.IsSuccessStatusCode)
            {
                return new CheckFinding("dataset", false, $"Affinsy answered {(int)response.StatusCode} for dataset {datasetId}: {await ErrorAsync(response, ct)}");
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var root = body.RootElement;
            return new CheckFinding("dataset", true, string.Create(CultureInfo.InvariantCulture,
                $"{datasetId}: {root.GetProperty("orders").GetInt64():N0} orders, {root.GetProperty("line_items").GetInt64():N0} line items"));
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The response, or why there is none in words a user can act on (tried twice).</summary>
    private async Task<(HttpResponseMessage? Response, string? Failure)> GetAsync(string path, CancellationToken ct)
    {
        try
        {
            var response = await _retry.ExecuteAsync(
                static async (state, token) => await state.Http.GetAsync(state.Path, token),
                (Http: _http, Path: path),
                ct);
            return (response, null);
        }
        catch (Exception e) when (Unanswered(e, ct))
        {
            return (null, Unreachable(endpoint.ApiBase, e, $"affinsy.base_url in {configFile}"));
        }
    }

    /// <summary>
    /// One retry, at once, of a request that got no answer: a connection reset or a slow first connect is worth a
    /// second try, not a dozen. An answer, whatever its status, is final.
    /// </summary>
    private static ResiliencePipeline<HttpResponseMessage> OneRetry(TimeProvider time) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 1,
                Delay = TimeSpan.Zero,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && Unanswered(e, args.Context.CancellationToken)),
            })
            .Build();

    /// <summary>No answer came (a failed connection or the client's time limit), and the user did not cancel.</summary>
    private static bool Unanswered(Exception e, CancellationToken ct) =>
        e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested);

    /// <summary>"cannot resolve host: check X" and the like, for a request that never got an answer.</summary>
    public static string Unreachable(Uri uri, Exception e, string setting) =>
        (e as HttpRequestException)?.InnerException is SocketException socket
            ? socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"cannot resolve {uri.Host}: check {setting}",
                SocketError.ConnectionRefused => $"{uri.Host}:{uri.Port} refused the connection (nothing listening?): check {setting}",
                _ => $"cannot connect to {uri.Host}:{uri.Port} ({socket.SocketErrorCode}): check {setting} and the network",
            }
            : e is TaskCanceledException
                ? $"{uri.Host}:{uri.Port} did not answer within {ConnectTimeout.TotalSeconds:0} s (tried twice): check {setting} and the network"
                : $"cannot reach {uri.Host}:{uri.Port} ({e.Message}): check {setting}";

    private static string RateLimit(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-RateLimit-Limit", out var limit)
            ? $"; rate limit {string.Join(',', limit)} requests per window"
              + (response.Headers.TryGetValues("X-RateLimit-Remaining", out var left) ? $", {string.Join(',', left)} left" : "")
            : "; no X-RateLimit headers (the sink then paces itself at ingest.requests_per_minute)";

    private static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var body = JsonDocument.Parse(text);
            return body.RootElement.TryGetProperty("error", out var error) ? error.ToString() : text;
        }
        catch (JsonException)
        {
            return text.Length > 200 ? text[..200] + "..." : text;
        }
    }
}
