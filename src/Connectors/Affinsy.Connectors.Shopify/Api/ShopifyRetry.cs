using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Affinsy.Connectors.Shopify.Api;

/// <summary>
/// The retries of <see cref="ShopifyClient"/>, as Polly pipelines on the injected <see cref="TimeProvider"/> (so fake
/// clocks in tests spend no real time). One attempt count covers every kind of failure of one request: a 429 is
/// retried until the 24th attempt and waits its <c>Retry-After</c> (Shopify answers 429 with <c>Retry-After</c> in
/// seconds, <c>2.0</c> for REST: shopify.dev "REST Admin API rate limits"; 2 s without one); a 5xx or a transport
/// failure (connection, timeout, I/O) until the 6th and waits 1, 2, 4, 8, 16 s (capped at 30 s).
/// </summary>
internal static class ShopifyRetry
{
    public const int MaxAttempts = 6;

    /// <summary>Attempts for a host name that does not resolve (one retry).</summary>
    public const int NameResolutionAttempts = 2;

    /// <summary>A 429 says "later", not "broken": more patience than for failures.</summary>
    public const int MaxThrottledAttempts = MaxAttempts * 4;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(2);
    private static readonly ResiliencePropertyKey<int> AttemptKey = new("affinsy.shopify.attempt");
    private static readonly ResiliencePropertyKey<string> ApiKey = new("affinsy.shopify.api");

    /// <summary>GraphQL and REST calls: 429 by <c>Retry-After</c>, 5xx and transport failures by back-off.</summary>
    public static ResiliencePipeline<HttpResponseMessage> ForApi(string shop, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxThrottledAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetryApi(args.Outcome, args.AttemptNumber + 1, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests } throttled
                        ? RetryAfter(throttled.Headers) ?? DefaultRetryAfter
                        : Backoff(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    var api = args.Context.Properties.GetValue(ApiKey, string.Empty);
                    var attempt = args.AttemptNumber + 1;
                    if (args.Outcome.Exception is { } e)
                    {
                        logger.LogWarning("Shopify {Shop}: {Api} request failed ({Error}); retry {Attempt}.", shop, api, e.Message, attempt);
                    }
                    else if (args.Outcome.Result!.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                    {
                        logger.LogInformation("Shopify {Shop}: {Api} answered 429; waiting {Seconds:F1} s (Retry-After).", shop, api, args.RetryDelay.TotalSeconds);
                    }
                    else
                    {
                        logger.LogWarning("Shopify {Shop}: {Api} answered {Status}; retry {Attempt}.", shop, api, (int)args.Outcome.Result.StatusCode, attempt);
                    }

                    return default;
                },
            })
            .Build();

    /// <summary>Bulk result downloads: 5xx and failed connections by back-off; anything else is final.</summary>
    public static ResiliencePipeline<HttpResponseMessage> ForDownload(string shop, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    ? e is HttpRequestException
                    : (int)args.Outcome.Result!.StatusCode >= 500),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } e)
                    {
                        logger.LogWarning("Shopify {Shop}: bulk result download failed ({Error}); retrying.", shop, e.Message);
                    }

                    return default;
                },
            })
            .Build();

    /// <summary>
    /// Runs <paramref name="attempt"/> (given its 1-based number and the token) through <paramref name="pipeline"/>;
    /// <paramref name="api"/> names the call in the retry logs.
    /// </summary>
    public static async Task<HttpResponseMessage> ExecuteAsync<TState>(
        this ResiliencePipeline<HttpResponseMessage> pipeline,
        string api,
        TState state,
        Func<TState, int, CancellationToken, Task<HttpResponseMessage>> attempt,
        CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ApiKey, api);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, s) => await s.Attempt(s.State, NextAttempt(ctx), ctx.CancellationToken).ConfigureAwait(false),
                context,
                (State: state, Attempt: attempt)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary><c>2^(attempt-1)</c> seconds, at most 30.</summary>
    public static TimeSpan Backoff(int attempt)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    /// <summary><c>Retry-After</c> in (possibly fractional) seconds, or as HTTP's delta or date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return headers.RetryAfter?.Delta;
    }

    private static bool ShouldRetryApi(Outcome<HttpResponseMessage> outcome, int attempt, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } e)
        {
            return attempt < MaxAttempts && !cancellationToken.IsCancellationRequested
                && e is HttpRequestException or TaskCanceledException or IOException;
        }

        var status = (int)outcome.Result!.StatusCode;
        return (status == 429 && attempt < MaxThrottledAttempts) || (status >= 500 && attempt < MaxAttempts);
    }

    /// <summary>1 for the first try of a request, 2 for its first retry...</summary>
    private static int NextAttempt(ResilienceContext context)
    {
        var attempt = context.Properties.GetValue(AttemptKey, 0) + 1;
        context.Properties.Set(AttemptKey, attempt);
        return attempt;
    }
}
