using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Affinsy.Core.Orders;
using Affinsy.Sink.Sending;

namespace Affinsy.Sink.Api;

/// <summary>
/// Typed client for every endpoint of the Affinsy API v1, for one user. Every call goes through the user's
/// <see cref="RateGate"/> so reports, dataset calls and ingests share one pace; each call is one attempt
/// (the <see cref="AffinsySender"/> adds retries for ingests). Errors throw <see cref="AffinsyApiException"/>.
/// </summary>
public sealed class AffinsyClient
{
    private const string OrdersPath = "data/orders";
    private readonly HttpClient http;
    private readonly Uri baseUrl;
    private readonly AuthenticationHeaderValue authorization;
    private readonly string apiKey;
    private readonly TimeSpan requestTimeout;
    private readonly TimeProvider time;

    /// <param name="http">Sends the requests; its own base address and headers are not used.</param>
    /// <param name="options">Base URL, key, timeout and rate limits.</param>
    /// <param name="gate">The user's shared rate gate.</param>
    /// <param name="time">Clock for timeouts.</param>
    internal AffinsyClient(HttpClient http, SinkOptions options, RateGate gate, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        this.http = http;
        this.time = time;
        Gate = gate;
        var text = options.BaseUrl.AbsoluteUri;
        baseUrl = new Uri(text.EndsWith('/') ? text : text + "/");
        authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        apiKey = options.ApiKey;
        requestTimeout = options.RequestTimeout;
    }

    /// <summary>The rate gate every call of this client passes.</summary>
    internal RateGate Gate { get; }

    /// <summary>POST /data/orders, one attempt; throws on any error status.</summary>
    public async Task<IngestResult> PushOrdersAsync(string datasetId, IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        var attempt = await TryPushOrdersAsync(datasetId, orders, cancellationToken);
        return attempt.IsSuccess
            ? attempt.Result!
            : throw new AffinsyApiException("POST /data/orders", attempt.Status, attempt.Error);
    }

    /// <summary>POST /data/orders, one attempt, any status returned rather than thrown (transport failures still throw).</summary>
    internal async Task<IngestAttempt> TryPushOrdersAsync(string datasetId, IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Post, OrdersPath);
        request.Content = new OrdersContent(datasetId, orders);
        return await ExchangeAsync(request, "POST /data/orders", async (response, token) =>
        {
            if (response.IsSuccessStatusCode)
            {
                var result = await ReadAsync(response, AffinsyJsonContext.Default.IngestResult, "POST /data/orders", token);
                return new IngestAttempt(response.StatusCode, result, null, null);
            }

            return new IngestAttempt(response.StatusCode, null, await ReadErrorAsync(response, token), RetryAfterOf(response));
        }, cancellationToken);
    }

    /// <summary>GET /data/imports/{import_id}; null when there is no such import.</summary>
    public Task<ImportStatus?> GetImportAsync(string importId, CancellationToken cancellationToken) =>
        GetOrNullAsync($"data/imports/{Uri.EscapeDataString(importId)}", AffinsyJsonContext.Default.ImportStatus, cancellationToken);

    /// <summary>GET /datasets.</summary>
    public async Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken) =>
        (await GetRequiredAsync("datasets", AffinsyJsonContext.Default.DatasetList, cancellationToken)).Datasets;

    /// <summary>GET /datasets/{dataset_id}; null when the user has no such dataset.</summary>
    public Task<DatasetSummary?> GetDatasetAsync(string datasetId, CancellationToken cancellationToken) =>
        GetOrNullAsync($"datasets/{Uri.EscapeDataString(datasetId)}", AffinsyJsonContext.Default.DatasetSummary, cancellationToken);

    /// <summary>DELETE /datasets/{dataset_id} with its reports; false when there was no such dataset.</summary>
    public async Task<bool> DeleteDatasetAsync(string datasetId, CancellationToken cancellationToken)
    {
        var operation = $"DELETE /datasets/{datasetId}";
        using var request = NewRequest(HttpMethod.Delete, $"datasets/{Uri.EscapeDataString(datasetId)}");
        return await ExchangeAsync(request, operation, async (response, token) =>
            response.StatusCode == HttpStatusCode.NotFound ? false
            : response.IsSuccessStatusCode ? true
            : throw await ErrorAsync(response, operation, token), cancellationToken);
    }

    /// <summary>POST /reports: starts a report; poll <see cref="GetReportAsync"/> or wait for its webhook.</summary>
    public async Task<ReportAccepted> CreateReportAsync(ReportRequest report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        const string operation = "POST /reports";
        using var request = NewRequest(HttpMethod.Post, "reports");
        request.Content = JsonContent.Create(report, AffinsyJsonContext.Default.ReportRequest);
        return await ExchangeAsync(request, operation, async (response, token) =>
            response.IsSuccessStatusCode
                ? await ReadAsync(response, AffinsyJsonContext.Default.ReportAccepted, operation, token)
                : throw await ErrorAsync(response, operation, token), cancellationToken);
    }

    /// <summary>GET /reports/{report_id}; null when the user has no such report.</summary>
    public Task<Report?> GetReportAsync(string reportId, CancellationToken cancellationToken) =>
        GetOrNullAsync($"reports/{Uri.EscapeDataString(reportId)}", AffinsyJsonContext.Default.Report, cancellationToken);

    /// <summary>
    /// Polls GET /reports/{report_id} every <paramref name="interval"/> until the report is Completed or Failed
    /// (the fallback when no webhook arrives). Each poll passes the rate gate like any other call.
    /// </summary>
    public async Task<Report> WaitForReportAsync(string reportId, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        while (true)
        {
            var report = await GetReportAsync(reportId, cancellationToken)
                ?? throw new AffinsyApiException($"Affinsy has no report {reportId} for this key; it may have been deleted with its dataset.");
            if (report.IsFinished)
            {
                return report;
            }

            await Task.Delay(interval, time, cancellationToken);
        }
    }

    /// <summary>GET /reports, optionally filtered by dataset and status; entries carry no results.</summary>
    public async Task<IReadOnlyList<Report>> ListReportsAsync(string? datasetId, string? status, CancellationToken cancellationToken)
    {
        var query = new List<string>(2);
        if (datasetId is not null)
        {
            query.Add("dataset_id=" + Uri.EscapeDataString(datasetId));
        }

        if (status is not null)
        {
            query.Add("status=" + Uri.EscapeDataString(status));
        }

        var path = query.Count == 0 ? "reports" : "reports?" + string.Join('&', query);
        return (await GetRequiredAsync(path, AffinsyJsonContext.Default.ReportList, cancellationToken)).Reports;
    }

    /// <summary>GET /templates.</summary>
    public async Task<IReadOnlyList<TemplateInfo>> ListTemplatesAsync(CancellationToken cancellationToken) =>
        (await GetRequiredAsync("templates", AffinsyJsonContext.Default.TemplateList, cancellationToken)).Templates;

    private async Task<T> GetRequiredAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var operation = "GET /" + path;
        using var request = NewRequest(HttpMethod.Get, path);
        return await ExchangeAsync(request, operation, async (response, token) =>
            response.IsSuccessStatusCode
                ? await ReadAsync(response, type, operation, token)
                : throw await ErrorAsync(response, operation, token), cancellationToken);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var operation = "GET /" + path;
        using var request = NewRequest(HttpMethod.Get, path);
        return await ExchangeAsync(request, operation, async (response, token) =>
            response.StatusCode == HttpStatusCode.NotFound ? null
            : response.IsSuccessStatusCode ? await ReadAsync(response, type, operation, token)
            : throw await ErrorAsync(response, operation, token), cancellationToken);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        request.Headers.Authorization = authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>
    /// Takes a rate slot, sends, lets <paramref name="read"/> consume the response within the request timeout,
    /// and tells the gate what the server said about the quota.
    /// </summary>
    private async Task<T> ExchangeAsync<T>(
        HttpRequestMessage request,
        string operation,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        var slot = await Gate.AcquireAsync(cancellationToken);
        int? remaining = null;
        TimeSpan? retryAfter = null;
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            remaining = RemainingOf(response);
            retryAfter = RetryAfterOf(response);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter ??= TimeSpan.FromSeconds(1);
            }

            return await read(response, linked.Token);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Affinsy {operation} did not answer within {requestTimeout.TotalSeconds:0.#} s.", e);
        }
        finally
        {
            Gate.Complete(slot, remaining, retryAfter);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
                ?? throw new AffinsyApiException($"Affinsy {operation} answered {(int)response.StatusCode} with an empty body.");
        }
        catch (JsonException e)
        {
            throw new AffinsyApiException(
                $"Affinsy {operation} answered {(int)response.StatusCode} with a body this client cannot read: {e.Message} Check that base_url points at an Affinsy API v1.", e);
        }
    }

    private async Task<AffinsyApiException> ErrorAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken) =>
        new(operation, response.StatusCode, await ReadErrorAsync(response, cancellationToken));

    /// <summary>
    /// The server's error body with our key masked: a proxy or a misconfigured gateway may echo the
    /// <c>Authorization</c> header, and this text goes on to exceptions, logs, the console and the state store.
    /// </summary>
    private async Task<ApiError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var error = await JsonSerializer.DeserializeAsync(stream, AffinsyJsonContext.Default.ApiError, cancellationToken);
            return error is null ? null : new ApiError(
                Mask(error.Error),
                error.Details?.Select(d => new ApiErrorDetail(Mask(d.Path) ?? string.Empty, Mask(d.Message) ?? string.Empty)).ToList(),
                Mask(error.RequestId));
        }
        catch (JsonException)
        {
            // Not the API's error shape (a proxy's HTML page, say): the status alone must do.
            return new ApiError(response.ReasonPhrase, null, null);
        }
    }

    private string? Mask(string? text) =>
        text is null || apiKey.Length == 0 ? text : text.Replace(apiKey, "***", StringComparison.Ordinal);

    private static int? RemainingOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-RateLimit-Remaining", out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)
            ? remaining
            : null;

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };
}
