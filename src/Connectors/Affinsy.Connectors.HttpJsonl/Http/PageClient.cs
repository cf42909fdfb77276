using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Affinsy.Connectors.HttpJsonl.Http;

/// <summary>
/// GETs a page: headers from <c>headers:</c> (never logged), 408/429/5xx, timeouts and dropped connections retried
/// through a Polly pipeline on the injected clock (<c>Retry-After</c>, seconds or a date, wins over the doubling
/// back-off; both capped), anything else that is not a JSON Lines 2xx a <see cref="HttpJsonlException"/> saying what
/// to do. Only the wait for the response headers is timed: a page's body is streamed as it is read.
/// </summary>
internal sealed partial class PageClient
{
    /// <summary>The media types of JSON Lines in use (application/jsonl; NDJSON's application/x-ndjson and kin).</summary>
    private static readonly string[] JsonLinesTypes = ["application/jsonl", "application/x-ndjson", "application/ndjson", "application/jsonlines", "application/x-jsonlines"];

    private readonly HttpClient _http;
    private readonly HttpJsonlSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _retries;

    public PageClient(HttpClient http, HttpJsonlSourceOptions options, TimeProvider time, ILogger logger)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        _retries = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(0, options.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Result: { } r } => IsTransient(r.StatusCode),
                    { Exception: HttpRequestException or TimeoutRejectedException or IOException } => true,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } r ? "HTTP " + (int)r.StatusCode : args.Outcome.Exception?.Message ?? "no answer";
                    args.Outcome.Result?.Dispose();
                    LogRetry(_logger, args.Context.Properties.GetValue(PageKey, ""), what, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    private static readonly ResiliencePropertyKey<string> PageKey = new("page");

    /// <summary>Opens <paramref name="url"/>; <paramref name="via"/> says how it was reached, for the error message.</summary>
    public async Task<Page> OpenAsync(Uri url, PageVia via, CancellationToken cancellationToken)
    {
        var shown = UrlText.Show(url);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PageKey, shown);
        HttpResponseMessage response;
        try
        {
            response = await _retries.ExecuteAsync(static async (ctx, state) =>
            {
                using var request = state.Self.Request(state.Url);
                return await state.Self._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken);
            }, context, (Self: this, Url: url));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpJsonlException($"{shown} did not answer after {_options.MaxAttempts} attempts ({e.Message}); check that the endpoint is up and reachable, the next sync resumes from the last acknowledged line", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        try
        {
            Refuse(response, shown, via);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var next = response.Headers.TryGetValues("Link", out var links) ? LinkHeader.Next(links, url) : null;
            var time = response.Content.Headers.LastModified ?? _time.GetUtcNow();
            return new Page(response, body, url, next, time);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private HttpRequestMessage Request(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!_options.Headers.ContainsKey("Accept"))
        {
            request.Headers.Accept.ParseAdd("application/jsonl, application/x-ndjson;q=0.9");
        }

        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Throws for an answer that is not a JSON Lines page; retried answers never get here unless attempts ran out.</summary>
    private void Refuse(HttpResponseMessage response, string shown, PageVia via)
    {
        var status = (int)response.StatusCode;
        var problem = status switch
        {
            401 or 403 => $"{shown} refused the request (HTTP {status}): check the credentials in source.headers (and that they may read this endpoint)",
            404 or 410 when via == PageVia.Configured => $"{shown} does not exist (HTTP {status}): check source.url",
            404 or 410 => $"{shown}, the page {Describe(via)}, is gone (HTTP {status}): the endpoint's pages changed; run `affinsy-connect state reset <pipeline>` to start again from source.url",
            >= 300 and < 400 => $"{shown} redirects (HTTP {status}) to {Location(response)}: redirects are not followed so headers cannot leak to another host; put the final URL in source.url",
            _ when IsTransient(response.StatusCode) => $"{shown} still answered HTTP {status} after {_options.MaxAttempts} attempts: the endpoint is failing or throttling; the next sync resumes from the last acknowledged line",
            < 200 or >= 300 => $"{shown} answered HTTP {status}: check source.url and source.headers against the endpoint's documentation",
            _ => null,
        };
        if (problem is null && ContentTypeProblem(response.Content.Headers.ContentType) is { } type)
        {
            problem = $"{shown} {type}; point source.url at the endpoint's JSON Lines (application/jsonl or application/x-ndjson) export";
        }

        if (problem is not null)
        {
            throw new HttpJsonlException("http-jsonl: " + problem);
        }
    }

    private static string? ContentTypeProblem(MediaTypeHeaderValue? type)
    {
        if (type?.MediaType is not { } media)
        {
            return "answered without a Content-Type, so it is not known to be JSON Lines";
        }

        if (!JsonLinesTypes.Contains(media, StringComparer.OrdinalIgnoreCase))
        {
            return $"answered '{media}', not JSON Lines";
        }

        return type.CharSet is { } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? $"answered JSON Lines in '{charset}', but JSON Lines is UTF-8"
            : null;
    }

    private static string Describe(PageVia via) => via == PageVia.Checkpoint ? "where the checkpoint left off" : "named by the previous page's Link header";

    private static string Location(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? UrlText.Show(location.IsAbsoluteUri ? location : new Uri(response.RequestMessage?.RequestUri ?? new Uri("http://unknown/"), location)) : "(no Location)";

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The wait a 429/503 asked for (delta-seconds or an HTTP date), capped; null lets the back-off decide.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var wait = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, _options.RetryMaxDelay.Ticks)) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Page}: {What}; attempt {Attempt} in {Seconds:F1} s.")]
    private static partial void LogRetry(ILogger logger, string page, string what, int attempt, double seconds);
}

/// <summary>How a page's URL was reached, which decides what a 404 means.</summary>
internal enum PageVia
{
    /// <summary><c>source.url</c>.</summary>
    Configured,

    /// <summary>A stored checkpoint.</summary>
    Checkpoint,

    /// <summary>The previous page's <c>Link: rel="next"</c>.</summary>
    Link,
}
