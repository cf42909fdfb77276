using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Affinsy.Connectors.WooCommerce.Mapping;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Affinsy.Connectors.WooCommerce.Api;

/// <summary>
/// A small typed client for the WooCommerce REST API v3 over HttpClient: Basic auth over HTTPS or OAuth 1.0a over
/// http (<see cref="StoreCredentials"/>), paced, with timeouts, 429/5xx and dropped connections retried (honouring <c>Retry-After</c>), and every
/// other failure explained by <see cref="StoreAnswer"/>.
/// </summary>
internal sealed class WooCommerceRestClient : IWooCommerceOrders
{
    private readonly HttpClient _http;
    private readonly WooCommerceClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestGate _gate;
    private long _requestsSent;
    private long _retries;
    private readonly StoreCredentials _credentials;
    private readonly Uri _api;
    private readonly ResiliencePipeline<Attempt> _retry;
    private static readonly ResiliencePropertyKey<int> AttemptKey = new("affinsy.woocommerce.attempt");
    private static readonly ResiliencePropertyKey<string> PathKey = new("affinsy.woocommerce.path");

    public WooCommerceRestClient(HttpClient http, WooCommerceClientOptions options, TimeProvider time, ILogger logger)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _gate = new RequestGate(options.RequestsPerSecond, time);
        _credentials = new StoreCredentials(options, time);
        var root = options.SiteUrl.AbsoluteUri.EndsWith('/') ? options.SiteUrl : new Uri(options.SiteUrl.AbsoluteUri + "/");
        _api = new Uri(root, "wp-json/wc/v3/");
        _retry = BuildRetry();
    }

    /// <summary>Requests sent, retries included.</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    /// <summary>Attempts that were retried (timeouts, 429, 5xx, dropped connections).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public async Task<WooOrderPage> GetOrdersAsync(WooOrderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var uri = new Uri(_api, "orders?" + QueryString(query));
        var (body, headers) = await GetAsync(uri, cancellationToken).ConfigureAwait(false);
        List<WooOrder> orders;
        try
        {
            orders = OrderListJson.Parse(body);
        }
        catch (JsonException e)
        {
            throw new WooCommerceApiException(
                $"The store answered {uri.AbsolutePath} with JSON that is not a list of orders ({e.Message}). A plugin may be adding output to REST responses.", e);
        }

        var total = IntHeader(headers, "X-WP-Total");
        var totalPages = IntHeader(headers, "X-WP-TotalPages");
        var hasNext = HasNextLink(headers) || (totalPages >= 0 && query.Page < totalPages);
        return new WooOrderPage(orders, total, totalPages, hasNext);
    }

    public async Task<IReadOnlyList<WooRefund>> GetRefundsAsync(long orderId, CancellationToken cancellationToken)
    {
        // An order rarely has more than a handful of refunds; 100 (the maximum page) covers them in one request.
        var uri = new Uri(_api, string.Create(CultureInfo.InvariantCulture, $"orders/{orderId}/refunds?per_page=100"));
        var (body, _) = await GetAsync(uri, cancellationToken).ConfigureAwait(false);
        return Parse(body, WooJsonContext.Default.ListWooRefund, uri);
    }

    internal static string QueryString(WooOrderQuery query)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"per_page={query.PageSize}&page={query.Page}&orderby=modified&order=asc&dates_are_gmt=true");
        text.Append("&status=").Append(Uri.EscapeDataString(query.Statuses.Count == 0 ? "any" : string.Join(',', query.Statuses)));
        if (query.ModifiedAfter is { } after)
        {
            text.Append("&modified_after=").Append(Uri.EscapeDataString(after.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)));
        }

        return text.ToString();
    }

    private static List<T> Parse<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type, Uri uri)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? [];
        }
        catch (JsonException e)
        {
            throw new WooCommerceApiException(
                $"The store answered {uri.AbsolutePath} with JSON that is not a list of {typeof(T).Name[3..].ToLowerInvariant()}s "
                + $"({e.Message}). A plugin may be adding output to REST responses.", e);
        }
    }

    private static int IntHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : -1;

    private static bool HasNextLink(HttpResponseHeaders headers) =>
        headers.TryGetValues("Link", out var values)
        && values.Any(v => v.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase));

    private async Task<(byte[] Body, HttpResponseHeaders Headers)> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PathKey, uri.AbsolutePath);
        Attempt result;
        try
        {
            result = await _retry.ExecuteAsync(
                static (ctx, s) => s.Self.GatedAttemptAsync(s.Uri, NextAttempt(ctx), ctx.CancellationToken), context, (Self: this, Uri: uri))
                .ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (result.Body is { } body)
        {
            return (body, result.Headers!);
        }

        throw new WooCommerceApiException(
            $"The store at {_options.SiteUrl} kept failing on {uri.AbsolutePath}: {result.Problem} after {_options.MaxAttempts} attempts. "
            + "The host may be overloaded: lower requests_per_second or page_size, and run the sync again (it resumes from its checkpoint).");
    }

    /// <summary>One attempt in its turn at the gate, which counts it as arrived once the answer is in (or the attempt failed).</summary>
    private async ValueTask<Attempt> GatedAttemptAsync(Uri uri, int attempt, CancellationToken cancellationToken)
    {
        var slot = await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requestsSent);
            return await AttemptAsync(uri, attempt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slot.Dispose();
        }
    }

    /// <summary>
    /// Every problem (timeout, dropped connection, transient status) is retried until <see cref="WooCommerceClientOptions.MaxAttempts"/>,
    /// after the store's <c>Retry-After</c> or the doubling back-off, at most <see cref="WooCommerceClientOptions.RetryMaxDelay"/>,
    /// on the injected clock. WordPress's REST API answers a rate limit (a security plugin, the host) with 429 and
    /// <c>Retry-After</c> in seconds or as a date (RFC 9110 §10.2.3); both are honoured.
    /// </summary>
    private ResiliencePipeline<Attempt> BuildRetry()
    {
        var builder = new ResiliencePipelineBuilder<Attempt> { TimeProvider = _time };
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                // Exceptions are what retrying cannot fix (or the caller's cancellation); Attempt is a struct, so look at the exception first.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.Body is null),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    Min(args.Outcome.Result.RetryAfter ?? Backoff(args.AttemptNumber + 1), _options.RetryMaxDelay)),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    _logger.LogWarning("WooCommerce {Path}: {Problem}; retry {Attempt} in {Delay}",
                        args.Context.Properties.GetValue(PathKey, string.Empty), args.Outcome.Result.Problem, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>1 for the first try of a request, 2 for its first retry...</summary>
    private static int NextAttempt(ResilienceContext context)
    {
        var attempt = context.Properties.GetValue(AttemptKey, 0) + 1;
        context.Properties.Set(AttemptKey, attempt);
        return attempt;
    }

    /// <summary>One request within the per-request timeout: the answer, a retryable problem, or an exception for what retrying cannot fix.</summary>
    private async Task<Attempt> AttemptAsync(Uri uri, int attempt, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = _credentials.CreateGet(uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return Judge(response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt.Failed($"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            throw new WooCommerceApiException(
                $"The TLS connection to {uri.Host} failed: {e.InnerException?.Message ?? e.Message}. "
                + "The site's certificate may be expired, self-signed or for another name; fix it, or use the exact https address it is issued for.", e);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError && attempt >= 2)
        {
            // A name that does not resolve is a typo far more often than a DNS hiccup: one retry, not a minute of them.
            throw new WooCommerceApiException(
                $"Cannot resolve {uri.Host}: check `url` in the pipeline's source, and this machine's DNS.", e);
        }
        catch (HttpRequestException e)
        {
            return Attempt.Failed($"connection failed ({e.HttpRequestError}: {e.Message})");
        }
    }

    /// <summary>A JSON success is the answer; an HTML page or a lasting failure is explained; a transient status is retried.</summary>
    private Attempt Judge(HttpResponseMessage response, byte[] body)
    {
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (response.IsSuccessStatusCode)
        {
            if (StoreAnswer.IsHtml(contentType, body))
            {
                throw new WooCommerceApiException(StoreAnswer.Explain(response.StatusCode, contentType, body, _options.SiteUrl, _credentials.Mode));
            }

            return new Attempt(body, response.Headers, null, null);
        }

        if (!IsTransient(response.StatusCode))
        {
            throw new WooCommerceApiException(StoreAnswer.Explain(response.StatusCode, contentType, body, _options.SiteUrl, _credentials.Mode));
        }

        var problem = StoreAnswer.IsHtml(contentType, body)
            ? $"HTTP {(int)response.StatusCode} ({StoreAnswer.DescribeHtml(contentType, body)})"
            : $"HTTP {(int)response.StatusCode}";
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            _gate.Throttled();
        }

        return new Attempt(null, null, problem, RetryAfter(response));
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
        || (int)status is 520 or 521 or 522 or 524;

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => Max(date - _time.GetUtcNow(), TimeSpan.Zero),
            _ => null,
        };

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(_options.RetryBaseDelay.Ticks * (1L << Math.Min(attempt - 1, 16)));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>What one request came to: the body and headers, or the problem to retry after (and the store's Retry-After).</summary>
    private readonly record struct Attempt(byte[]? Body, HttpResponseHeaders? Headers, string? Problem, TimeSpan? RetryAfter)
    {
        public static Attempt Failed(string problem) => new(null, null, problem, null);
    }
}
