using System.Collections.Concurrent;
using Affinsy.Core.Configuration;
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
/// repeated deliveries are acknowledged once.
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

    public static async Task<WebhookListener> StartAsync(WebhookSettings settings, string apiKey, ILoggerFactory loggers, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Listen!.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var verifier = new WebhookVerifier(apiKey);
        var log = loggers.CreateLogger("Affinsy.Webhooks");
        WebhookListener? self = null;
        app.MapPost(settings.Path, async (HttpContext ctx) =>
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            var verdict = verifier.Verify(buffer.GetBuffer().AsSpan(0, (int)buffer.Length),
                ctx.Request.Headers[WebhookVerifier.SignatureHeader], ctx.Request.Headers[WebhookVerifier.DeliveryHeader]);
            if (!verdict.IsAuthentic)
            {
                LogRejected(log, verdict.Status.ToString(), ctx.Connection.RemoteIpAddress?.ToString() ?? "?");
                ctx.Response.StatusCode = verdict.Status == WebhookStatus.MalformedBody ? 400 : 401;
                return;
            }

            if (verdict.Status == WebhookStatus.Accepted && verdict.Payload is { } payload)
            {
                // The webhook may arrive before anyone waits for it: the first side to come creates the signal.
                self!.Signal(payload.ReportId).TrySetResult();
            }

            ctx.Response.StatusCode = 204;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook ({Verdict}) from {Remote}")]
    private static partial void LogRejected(ILogger log, string verdict, string remote);
}
