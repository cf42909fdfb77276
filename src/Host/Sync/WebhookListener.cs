using System.Buffers;
using System.Collections.Concurrent;
using Affinsy.Core.Configuration;
using Affinsy.Core.Telemetry;
using Affinsy.Sink.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Sync;

/// <summary>
/// Receives report webhooks on <c>webhooks.listen</c>: the signature is verified over the raw bytes
/// (constant-time) before anything is parsed; unsigned, tampered or foreign deliveries get 401,
/// repeated deliveries are acknowledged once. A body is read into one pooled buffer of at most
/// <c>webhooks.max_body_bytes</c>: a larger declared length gets 413 before a byte is read, and a body that
/// turns out larger while it is read gets 413 as soon as it passes the limit, so unsigned posts cannot make the
/// worker hold their bodies. A signed delivery older than <c>webhooks.max_age</c> is refused (see
/// <see cref="WebhookVerifier"/>). Every refusal counts in <c>affinsy.webhook_rejections</c>.
/// </summary>
internal sealed partial class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    private WebhookListener(WebApplication app, Uri publicUrl)
    {
        _app = app;
        Url = publicUrl;
    }

    /// <summary>The URL given to Affinsy as <c>webhook_url</c>.</summary>
    public Uri Url { get; }

    public static async Task<WebhookListener> StartAsync(WebhookSettings settings, string apiKey, ILoggerFactory loggers, CancellationToken ct, TimeProvider? time = null)
    {
        // No appsettings.json watch: it is a recursive FileSystemWatcher on the working directory, which wakes on every
        // write beneath it (SQLite's WAL included) and costs inotify instances. appsettings.json is still read once at start.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(settings.Listen!.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var verifier = new WebhookVerifier(apiKey, time: time ?? TimeProvider.System, maxAge: settings.MaxAge);
        var log = loggers.CreateLogger("Affinsy.Webhooks");
        WebhookListener? self = null;
        app.MapPost(settings.Path, async (HttpContext ctx) =>
        {
            var remote = ctx.Connection.RemoteIpAddress?.ToString() ?? "?";
            if (ctx.Request.ContentLength > settings.MaxBodyBytes)
            {
                Refuse(ctx, log, "too_large", remote, StatusCodes.Status413PayloadTooLarge);
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(settings.MaxBodyBytes + 1);
            try
            {
                var length = await ReadAtMostAsync(ctx.Request.Body, buffer, settings.MaxBodyBytes + 1, ctx.RequestAborted);
                if (length > settings.MaxBodyBytes)
                {
                    Refuse(ctx, log, "too_large", remote, StatusCodes.Status413PayloadTooLarge);
                    return;
                }

                var verdict = verifier.Verify(buffer.AsSpan(0, length),
                    ctx.Request.Headers[WebhookVerifier.SignatureHeader], ctx.Request.Headers[WebhookVerifier.DeliveryHeader]);
                if (!verdict.IsAuthentic)
                {
                    Refuse(ctx, log, ReasonOf(verdict.Status), remote, verdict.Status == WebhookStatus.MalformedBody ? 400 : 401);
                    return;
                }

                if (verdict.Status == WebhookStatus.Accepted && verdict.Payload is { } payload)
                {
                    // The webhook may arrive before anyone waits for it: the first side to come creates the signal.
                    self!.Signal(payload.ReportId).TrySetResult();
                }

                ctx.Response.StatusCode = 204;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        await app.StartAsync(ct);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var url = settings.PublicUrl ?? new Uri(bound, settings.Path);
        self = new WebhookListener(app, url);
        return self;
    }

    /// <summary>Completes when an authentic webhook for the report arrives.</summary>
    public Task WhenNotified(string reportId) => Signal(reportId).Task;

    private TaskCompletionSource Signal(string reportId) =>
        _waiting.GetOrAdd(reportId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Reads until the end of the body or until <paramref name="limit"/> bytes, whichever comes first.</summary>
    private static async Task<int> ReadAtMostAsync(Stream body, byte[] buffer, int limit, CancellationToken ct)
    {
        var total = 0;
        while (total < limit)
        {
            var read = await body.ReadAsync(buffer.AsMemory(total, limit - total), ct);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void Refuse(HttpContext ctx, ILogger log, string reason, string remote, int status)
    {
        AffinsyMetrics.RecordWebhookRejection(reason);
        LogRejected(log, reason, remote);
        ctx.Response.StatusCode = status;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // The rest of the body stays unread: closing the connection spares the server from draining it.
            ctx.Response.Headers.Connection = "close";
        }
    }

    private static string ReasonOf(WebhookStatus status) => status switch
    {
        WebhookStatus.Unsigned => "unsigned",
        WebhookStatus.MalformedSignature => "malformed_signature",
        WebhookStatus.BadSignature => "bad_signature",
        WebhookStatus.MalformedBody => "malformed_body",
        WebhookStatus.Stale => "stale",
        _ => "other",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook ({Verdict}) from {Remote}")]
    private static partial void LogRejected(ILogger log, string verdict, string remote);
}
