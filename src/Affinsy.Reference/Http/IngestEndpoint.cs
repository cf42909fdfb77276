using System.Buffers;
using Affinsy.Reference.Config;
using Affinsy.Reference.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Affinsy.Reference.Http;

/// <summary>
/// <c>POST /data/orders</c>. The import runs detached from the request so that an answer of 504 (timeout,
/// too many in flight, injected) never stops it: the contract says such an import still completes.
/// </summary>
public sealed class IngestEndpoint
{
    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private readonly ReferenceStore _store;
    private readonly ReferenceSettings _settings;
    private readonly InFlightCounter _inFlight;
    private readonly FaultInjector _faults;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CountSignal _delaying;
    private readonly CancellationToken _serverStopping;

    internal IngestEndpoint(
        ReferenceStore store,
        ReferenceSettings settings,
        InFlightCounter inFlight,
        FaultInjector faults,
        TimeProvider time,
        ILogger log,
        CountSignal delaying,
        CancellationToken serverStopping)
    {
        _store = store;
        _settings = settings;
        _inFlight = inFlight;
        _faults = faults;
        _time = time;
        _log = log;
        _delaying = delaying;
        _serverStopping = serverStopping;
    }

    /// <summary>Line items of ingests applied and yet answered 504 (reference-only: a client retries them, re-applying each).</summary>
    public CountSignal LineItemsAnswered504 { get; } = new();

    /// <summary>Of <see cref="LineItemsAnswered504"/>, those answered 504 because more than the allowed requests were in flight.</summary>
    public CountSignal LineItemsAnswered504OverConcurrency { get; } = new();

    internal async Task HandleAsync(HttpContext ctx)
    {
        var arrived = _time.GetTimestamp();
        var caller = (Caller)ctx.Items[ApiGate.CallerItem]!;
        var limits = _settings.Limits;
        using var lease = _inFlight.Enter(caller.KeyHash);
        if (await ReadValidAsync(ctx, limits) is not { } parse)
        {
            return;
        }

        var overConcurrency = lease.Count > limits.MaxInFlightPerKey;
        var cap = _settings.PlanCaps.For(caller.User.Plan);
        var import = ApplyAsync(caller.User.Id, cap, parse, arrived);
        var deadline = Task.Delay(TimeSpan.FromSeconds(limits.RequestTimeoutSeconds), _time, ctx.RequestAborted);
        if (await Task.WhenAny(import, deadline) != import)
        {
            LineItemsAnswered504.Add(parse.LineItems);
            await Respond.ServerError(ctx, _log, StatusCodes.Status504GatewayTimeout, "The request timed out; the import is still being applied.");
            return;
        }

        var outcome = await import;
        if (overConcurrency)
        {
            LineItemsAnswered504.Add(parse.LineItems);
            LineItemsAnswered504OverConcurrency.Add(parse.LineItems);
            await Respond.ServerError(ctx, _log, StatusCodes.Status504GatewayTimeout, $"More than {limits.MaxInFlightPerKey} requests in flight for this key; the import was applied.");
            return;
        }

        if (_faults.NextTimeout())
        {
            LineItemsAnswered504.Add(parse.LineItems);
            await Respond.ServerError(ctx, _log, StatusCodes.Status504GatewayTimeout, "Gateway timeout (injected); the import was applied.");
            return;
        }

        await Respond.Json(ctx, StatusCodes.Status200OK,
            new IngestResponse(outcome.ImportId, parse.DatasetId!, "completed", parse.Orders, parse.LineItems, outcome.Inserted, outcome.Updated, outcome.Rejected, outcome.Warning),
            ReferenceJsonContext.Default.IngestResponse);
    }

    /// <summary>The body read and checked whole; null when it was refused (413 or 400, answered here), so nothing is stored.</summary>
    private static async Task<IngestParse?> ReadValidAsync(HttpContext ctx, ServerLimits limits)
    {
        var body = await ReadBodyAsync(ctx);
        if (body is null)
        {
            await Respond.Error(ctx, StatusCodes.Status413PayloadTooLarge, $"Request body too large (max {MaxBodyBytes / (1024 * 1024)} MiB).");
            return null;
        }

        IngestParse parse;
        try
        {
            parse = IngestRequestParser.Parse(body.WrittenSpan);
        }
        finally
        {
            body.Dispose();
        }

        if (parse.MalformedMessage is { } malformed)
        {
            parse.Release();
            // A whole-body problem has no field to name: "(body)" keeps every 400 in the same shape.
            await Respond.Error(ctx, StatusCodes.Status400BadRequest, malformed, [new ErrorDetail("(body)", malformed)]);
            return null;
        }

        if (parse.LineItems > limits.MaxLineItemsPerRequest)
        {
            parse.Release();
            await Respond.Error(ctx, StatusCodes.Status413PayloadTooLarge, $"Too many line items: {parse.LineItems} (max {limits.MaxLineItemsPerRequest}).");
            return null;
        }

        if (parse.Details.Count > 0)
        {
            parse.Release();
            await Respond.Error(ctx, StatusCodes.Status400BadRequest, "Invalid request: nothing was stored.", parse.Details);
            return null;
        }

        return parse;
    }

    private async Task<IngestOutcome> ApplyAsync(string owner, long? cap, IngestParse parse, long arrived)
    {
        IngestOutcome outcome;
        try
        {
            outcome = await _store.IngestAsync(owner, cap, parse.DatasetId!, parse.Rows, CancellationToken.None);
        }
        finally
        {
            // The rows are stored (or the write failed): their buffers serve the next request.
            parse.Release();
        }

        // Models the real service's ingest speed without holding a thread. The modelled _time runs from the
        // request's arrival, so this server's own reading, parsing and storing are part of it, not added on top.
        var delayMs = _settings.Limits.IngestDelayMsPer1000LineItems * parse.LineItems / 1000.0
            - _time.GetElapsedTime(arrived).TotalMilliseconds;
        if (delayMs > 0)
        {
            var delay = Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, _serverStopping);
            _delaying.Increment(); // after the timer exists, so a test that advances a fake clock now releases it
            try
            {
                await delay;
            }
            finally
            {
                _delaying.Decrement();
            }
        }

        return outcome;
    }

    /// <summary>The whole body in a pooled buffer, or null when it exceeds the limit.</summary>
    private static async Task<PooledBuffer?> ReadBodyAsync(HttpContext ctx)
    {
        var buffer = new PooledBuffer((int)Math.Min(ctx.Request.ContentLength ?? 64 * 1024, MaxBodyBytes) + 1);
        var stream = ctx.Request.Body;
        while (true)
        {
            if (buffer.Length > MaxBodyBytes)
            {
                buffer.Dispose();
                return null;
            }

            var read = await stream.ReadAsync(buffer.FreeSpace(64 * 1024), ctx.RequestAborted);
            if (read == 0)
            {
                return buffer;
            }

            buffer.Advance(read);
        }
    }

    /// <summary>A growable byte buffer rented from the shared pool.</summary>
    private sealed class PooledBuffer(int initial) : IDisposable
    {
        private byte[] _array = ArrayPool<byte>.Shared.Rent(initial);

        public int Length { get; private set; }

        public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

        public Memory<byte> FreeSpace(int atLeast)
        {
            if (_array.Length - Length < atLeast)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, Length + atLeast));
                _array.AsSpan(0, Length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_array);
                _array = bigger;
            }

            return _array.AsMemory(Length);
        }

        public void Advance(int count) => Length += count;

        public void Dispose() => ArrayPool<byte>.Shared.Return(_array);
    }
}
