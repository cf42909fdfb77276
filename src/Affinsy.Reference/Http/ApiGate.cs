using Affinsy.Reference.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Affinsy.Reference.Http;

/// <summary>
/// What every request passes before its endpoint, in the contract's order: injected faults (before
/// anything is done), the key (401), the user's rolling quota (429, not counted), the plan (403). It sets
/// <c>X-RateLimit-*</c> on every response, errors included.
/// </summary>
public sealed class ApiGate
{
    private readonly RollingWindowLimiter _limiter;
    private readonly FaultInjector _faults;
    private readonly ILogger _log;
    private readonly Dictionary<string, ReferenceUser> _byKeyHash;

    internal ApiGate(ReferenceSettings settings, RollingWindowLimiter limiter, FaultInjector faults, ILogger log)
    {
        _limiter = limiter;
        _faults = faults;
        _log = log;
        _byKeyHash = settings.Users
            .SelectMany(u => u.KeyHashes.Select(h => (h, u)))
            .ToDictionary(p => p.h, p => p.u, StringComparer.Ordinal);
    }

    internal const string CallerItem = "affinsy.caller";

    private long _throttled;

    /// <summary>How many 429s this server has answered (tests assert a well-paced client caused none).</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Ingest requests let through to the endpoint (tests wait on it instead of sleeping).</summary>
    public CountSignal IngestsAdmitted { get; } = new();

    internal async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var headers = ctx.Response.Headers;
        headers["X-RateLimit-Limit"] = _limiter.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_faults.NextError() is { } status)
        {
            headers["X-RateLimit-Remaining"] = Remaining(_limiter.Limit);
            await Respond.ServerError(ctx, _log, status, status == 503 ? "Service temporarily unavailable." : "Internal server error.");
            return;
        }

        if (Authenticate(ctx) is not { } caller)
        {
            headers["X-RateLimit-Remaining"] = Remaining(_limiter.Limit);
            await Respond.Error(ctx, StatusCodes.Status401Unauthorized, "Invalid or missing API key.");
            return;
        }

        var decision = _limiter.TryAcquire(caller.User.Id);
        headers["X-RateLimit-Remaining"] = Remaining(decision.Remaining);
        if (!decision.Allowed)
        {
            Interlocked.Increment(ref _throttled);
            headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Respond.Error(ctx, StatusCodes.Status429TooManyRequests, "Rate limit exceeded.");
            return;
        }

        if (caller.User.Plan is Plan.Free or Plan.Pro)
        {
            await Respond.Error(ctx, StatusCodes.Status403Forbidden, "API access requires the Max plan or higher.");
            return;
        }

        ctx.Items[CallerItem] = caller;
        if (HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.Path.Value?.EndsWith("/data/orders", StringComparison.Ordinal) == true)
        {
            IngestsAdmitted.Increment();
        }

        await next(ctx);
    }

    private static string Remaining(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Caller? Authenticate(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = header.AsSpan(Bearer.Length).Trim();
        if (!key.StartsWith("afn_", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = KeyHash.Of(key.ToString());
        return _byKeyHash.TryGetValue(hash, out var user) ? new Caller(user, hash) : null;
    }
}
