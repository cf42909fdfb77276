using System.Diagnostics;
using System.Globalization;
using System.Net;
using Affinsy.Core.Configuration;
using Affinsy.Core.Orders;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Affinsy.Sink.Sending;

/// <summary>
/// Sends orders for one Affinsy user. Create one per user (api key + base URL) per process and share it
/// between every pipeline of that user, so that its limits hold for all of them together: at most
/// <see cref="SinkOptions.MaxInFlight"/> ingests in flight and <see cref="SinkOptions.RequestsPerMinute"/>
/// requests per window (the window is shared with every other call of <see cref="Client"/>).
/// Transient failures are retried with jittered exponential backoff (upserts make re-sending safe);
/// a 400 isolates the invalid orders and sends the rest; a 413 splits the request. Affinsy's own 504 (its error body
/// with a request id) is not re-sent: the API documents that such an import still completes, so the request counts as
/// acknowledged without counts (<see cref="IngestAttempt.IsAppliedTimeout"/>); a 504 from anything in front of the API
/// is retried like any 5xx. With <see cref="SinkOptions.OnPlanCap"/> <see cref="PlanCapPolicy.Fail"/> it is re-sent
/// too, since only an answer can say whether the plan's row cap kept rows out.
/// </summary>
public sealed class AffinsySender : IDisposable
{
    private const string Operation = "POST /data/orders";
    private static readonly ResiliencePropertyKey<SendCounters> CountersKey = new("affinsy.sink.counters");
    private static readonly ResiliencePropertyKey<int> AttemptKey = new("affinsy.sink.attempt");
    private readonly SemaphoreSlim inFlight;
    private readonly ResiliencePipeline<IngestAttempt> retry;
    private readonly ILogger logger;
    private readonly bool trustAppliedTimeouts;

    public AffinsySender(HttpClient http, SinkOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        time ??= TimeProvider.System;
        Options = options;
        this.logger = logger ?? NullLogger.Instance;
        Client = new AffinsyClient(http, options, new RateGate(options.RequestsPerMinute, options.Window, time), time);
        inFlight = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        trustAppliedTimeouts = options.OnPlanCap != PlanCapPolicy.Fail;
        retry = BuildRetry(options, trustAppliedTimeouts, time, this.logger);
    }

    /// <summary>The user's API client, pacing shared with the ingests (use it for datasets and reports).</summary>
    public AffinsyClient Client { get; }

    public SinkOptions Options { get; }

    /// <summary>
    /// Sends the orders (already packed within the line-item limit) to the dataset. Returns once every
    /// order is either acknowledged or refused as invalid; throws when the API cannot be reached within
    /// the attempts allowed, or refuses the key (<see cref="AffinsyApiException.IsAuthorizationFailure"/>).
    /// </summary>
    internal async Task<SendOutcome> SendAsync(
        string datasetId, IReadOnlyList<Order> orders, SendCounters counters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(datasetId);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(counters);
        var outcome = new SendOutcome();
        if (orders.Count > 0)
        {
            await SendPartAsync(datasetId, orders, outcome, counters, cancellationToken);
        }

        return outcome;
    }

    public void Dispose() => inFlight.Dispose();

    private async Task SendPartAsync(
        string datasetId, IReadOnlyList<Order> orders, SendOutcome outcome, SendCounters counters, CancellationToken cancellationToken)
    {
        var attempt = await SendWithRetriesAsync(datasetId, orders, counters, cancellationToken);
        switch (attempt.Status)
        {
            case var _ when attempt.IsSuccess:
                outcome.Accepted.Add(attempt.Result!);
                return;

            case var _ when Settled(attempt, trustAppliedTimeouts):
                var lineItems = orders.Sum(o => o.LineItems.Count);
                counters.CountAppliedUnanswered(lineItems);
                outcome.AppliedUnanswered.Add(new UnansweredImport(orders.Count, lineItems, attempt.Error!.RequestId!));
                logger.LogInformation(
                    "Affinsy answered 504 for {Orders} orders ({LineItems} line items) with request id {RequestId}; its API says the import still completes, so they are not sent again.",
                    orders.Count, lineItems, attempt.Error.RequestId);
                return;

            case HttpStatusCode.BadRequest:
                counters.CountBadRequest();
                await IsolateInvalidAsync(datasetId, orders, attempt.Error, outcome, counters, cancellationToken);
                return;

            case HttpStatusCode.RequestEntityTooLarge:
                counters.CountTooLarge();
                if (orders.Count == 1)
                {
                    outcome.Rejected.Add(new RejectedOrder(
                        orders[0],
                        $"Affinsy refused order {orders[0].OrderId} as too large ({orders[0].LineItems.Count} line items): {attempt.Error?.Error}. Split the order at the source or lower max_line_items_per_request.",
                        null));
                    return;
                }

                logger.LogWarning("Affinsy answered 413 for {Orders} orders ({Error}); splitting the request.", orders.Count, attempt.Error?.Error);
                await SendHalvesAsync(datasetId, orders, outcome, counters, cancellationToken);
                return;

            default:
                throw new AffinsyApiException(Operation, attempt.Status, attempt.Error);
        }
    }

    /// <summary>
    /// A 400 means at least one order is invalid and nothing was stored. When the details name orders by
    /// index, those are refused with their details and the rest re-sent; otherwise the batch is bisected
    /// until each invalid order stands alone.
    /// </summary>
    private async Task IsolateInvalidAsync(
        string datasetId, IReadOnlyList<Order> orders, ApiError? error, SendOutcome outcome, SendCounters counters, CancellationToken cancellationToken)
    {
        var details = error?.Details ?? [];
        if (orders.Count == 1)
        {
            outcome.Rejected.Add(InvalidOrders.Refusal(orders[0], error, details));
            return;
        }

        var named = InvalidOrders.GroupByOrder(details, orders.Count);
        if (named is null)
        {
            await SendHalvesAsync(datasetId, orders, outcome, counters, cancellationToken);
            return;
        }

        var rest = new List<Order>(orders.Count - named.Count);
        for (var i = 0; i < orders.Count; i++)
        {
            if (named.TryGetValue(i, out var own))
            {
                outcome.Rejected.Add(InvalidOrders.Refusal(orders[i], error, own));
            }
            else
            {
                rest.Add(orders[i]);
            }
        }

        if (rest.Count > 0)
        {
            await SendPartAsync(datasetId, rest, outcome, counters, cancellationToken);
        }
    }

    private async Task SendHalvesAsync(
        string datasetId, IReadOnlyList<Order> orders, SendOutcome outcome, SendCounters counters, CancellationToken cancellationToken)
    {
        var middle = orders.Count / 2;
        var list = orders as List<Order> ?? [.. orders];
        await SendPartAsync(datasetId, list.GetRange(0, middle), outcome, counters, cancellationToken);
        await SendPartAsync(datasetId, list.GetRange(middle, orders.Count - middle), outcome, counters, cancellationToken);
    }

    private async Task<IngestAttempt> SendWithRetriesAsync(
        string datasetId, IReadOnlyList<Order> orders, SendCounters counters, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CountersKey, counters);
        try
        {
            var attempt = await retry.ExecuteAsync(
                static (ctx, state) => state.Self.AttemptAsync(state.DatasetId, state.Orders, state.Counters, NextAttempt(ctx), ctx.CancellationToken),
                context,
                (Self: this, DatasetId: datasetId, Orders: orders, Counters: counters));
            if (attempt.IsTransient && !Settled(attempt, trustAppliedTimeouts))
            {
                throw new AffinsyApiException(Operation, attempt.Status, attempt.Error, GaveUp());
            }

            if (attempt.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new AffinsyApiException(Operation, attempt.Status, attempt.Error);
            }

            return attempt;
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            throw new AffinsyApiException($"Affinsy {Operation} could not be completed: {e.Message} {GaveUp()}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private string GaveUp() =>
        $"Gave up after {Options.MaxAttempts} attempts; the sync stops and the next one resumes from the last acknowledged batch.";

    /// <summary>1 for the first try of a request, 2 for its first retry...</summary>
    private static int NextAttempt(ResilienceContext context)
    {
        var attempt = context.Properties.GetValue(AttemptKey, 0) + 1;
        context.Properties.Set(AttemptKey, attempt);
        return attempt;
    }

    private async ValueTask<IngestAttempt> AttemptAsync(
        string datasetId, IReadOnlyList<Order> orders, SendCounters counters, int number, CancellationToken cancellationToken)
    {
        await inFlight.WaitAsync(cancellationToken);
        using var span = IngestSpan.Start(datasetId, orders, counters.Pipeline, number);
        try
        {
            counters.CountRequest();
            var attempt = await Client.TryPushOrdersAsync(datasetId, orders, cancellationToken);
            span?.SetTag("http.response.status_code", (int)attempt.Status);
            if (!attempt.IsSuccess)
            {
                span?.SetTag("error.type", ((int)attempt.Status).ToString(CultureInfo.InvariantCulture)).SetStatus(ActivityStatusCode.Error);
            }

            AffinsyMetrics.RecordRequest(counters.Pipeline, (int)attempt.Status, attempt.IsAppliedTimeout);
            if (attempt.Status == HttpStatusCode.TooManyRequests)
            {
                counters.CountThrottled();
                AffinsyMetrics.RecordThrottled(counters.Pipeline);
            }
            else if ((int)attempt.Status >= 500)
            {
                counters.CountServerError();
            }

            return attempt;
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            span?.SetTag("error.type", e.GetType().FullName).SetStatus(ActivityStatusCode.Error);
            counters.CountTransportFailure();
            AffinsyMetrics.RecordRequestWithoutAnswer(counters.Pipeline);
            throw;
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>No answer: a dropped connection, a timeout, or an HttpClient timeout (not the caller's cancellation).</summary>
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or TimeoutException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>An answer that ends the request's retries although it is a 5xx: Affinsy's own 504, when trusted.</summary>
    private static bool Settled(IngestAttempt attempt, bool trustAppliedTimeouts) => trustAppliedTimeouts && attempt.IsAppliedTimeout;

    private static ResiliencePipeline<IngestAttempt> BuildRetry(SinkOptions options, bool trustAppliedTimeouts, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<IngestAttempt> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<IngestAttempt>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e
                        ? IsTransient(e, args.Context.CancellationToken)
                        : args.Outcome.Result!.IsTransient && !Settled(args.Outcome.Result, trustAppliedTimeouts)),
                // The server knows best how long to wait; the rate gate also stays closed until then.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(CountersKey, out var counters))
                    {
                        counters.CountRetry();
                        AffinsyMetrics.RecordRetry(counters.Pipeline);
                    }

                    logger.LogWarning(
                        "Affinsy ingest attempt {Attempt} failed ({Failure}); retrying in {Delay}. Affinsy request id: {RequestId}.",
                        args.AttemptNumber + 1,
                        args.Outcome.Exception?.Message ?? $"{(int)args.Outcome.Result!.Status} {args.Outcome.Result.Error?.Error}",
                        args.RetryDelay,
                        args.Outcome.Result?.Error?.RequestId ?? "none");
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
