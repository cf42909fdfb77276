using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Affinsy.Emulators.WooCommerce;

/// <summary>Request handling: every request is recorded, then meets the scripted misbehaviour, then authentication and the routes.</summary>
public sealed partial class WooCommerceEmulator
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = new EmulatorRequest(context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty);
        lock (_gate)
        {
            _requests.Add(request);
        }

        if (await MisbehaveAsync(context))
        {
            return;
        }

        var path = request.Path;
        var prefix = SiteUrl.AbsolutePath + "wp-json/wc/v3/";
        if (!RestEnabled || !path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 404, "rest_no_route", "No route was found matching the URL and request method.");
            return;
        }

        if (_auth.Check(context.Request, SiteUrl, _https) is { } problem)
        {
            await ErrorAsync(context, 401, problem.Code, problem.Message);
            return;
        }

        var route = path[prefix.Length..].Split('/');
        if (route is ["orders"])
        {
            await ListOrdersAsync(context, request);
        }
        else if (route is ["orders", var id, "refunds"] && long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var orderId))
        {
            await ListRefundsAsync(context, orderId);
        }
        else
        {
            await ErrorAsync(context, 404, "rest_no_route", "No route was found matching the URL and request method.");
        }
    }

    /// <summary>Latency, stalls, the host rate limit, scripted failures and HTML pages; true when one of them answered.</summary>
    private async Task<bool> MisbehaveAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, Time, aborted);
        }

        if (Interlocked.Decrement(ref _stalls) >= 0)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, Time, aborted);
        }
        else
        {
            Interlocked.Exchange(ref _stalls, 0);
        }

        if (OverRateLimit())
        {
            Interlocked.Increment(ref _violations);
            context.Response.Headers.RetryAfter = "1";
            await ErrorAsync(context, 429, "rate_limited", "Too many requests from your IP.");
            return true;
        }

        if (_failures.TryDequeue(out var failure))
        {
            if (failure.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            context.Response.StatusCode = failure.Status;
            context.Response.ContentType = "text/html; charset=UTF-8";
            await context.Response.WriteAsync("<html><head><title>Service Unavailable</title></head><body>Try later</body></html>", aborted);
            return true;
        }

        if (HtmlPage is { } html)
        {
            context.Response.StatusCode = HtmlStatus;
            context.Response.ContentType = "text/html; charset=UTF-8";
            await context.Response.WriteAsync(html, aborted);
            return true;
        }

        return false;
    }

    private bool OverRateLimit()
    {
        if (HostRateLimit is not { } limit)
        {
            return false;
        }

        lock (_gate)
        {
            var now = Time.GetTimestamp();
            var window = (long)(RateWindow.TotalSeconds * Time.TimestampFrequency);
            while (_recent.Count > 0 && now - _recent.Peek() >= window)
            {
                _recent.Dequeue();
            }

            if (_recent.Count >= limit)
            {
                return true;
            }

            _recent.Enqueue(now);
            return false;
        }
    }
}
