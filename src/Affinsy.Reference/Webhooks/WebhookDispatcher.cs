using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Affinsy.Reference.Config;
using Affinsy.Reference.Http;
using Affinsy.Reference.Storage;
using Microsoft.Extensions.Logging;

namespace Affinsy.Reference.Webhooks;

/// <summary>
/// Delivers report webhooks: body and signature fixed when the report ends (so every retry is
/// byte-identical with the same delivery id), a bounded queue, a bounded number of concurrent
/// deliveries, exponential backoff between attempts. Deliveries are persisted first, so those owed
/// when the server stopped are sent after it starts again. A slow or dead receiver only holds its own
/// delivery: reports and ingest never wait on it.
/// </summary>
internal sealed partial class WebhookDispatcher : IAsyncDisposable
{
    private const int QueueCapacity = 1024;
    private const int MaxConcurrent = 16;

    private readonly Channel<PendingDelivery> _queue = Channel.CreateBounded<PendingDelivery>(QueueCapacity);
    private readonly ConcurrentDictionary<string, bool> _active = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly ReferenceStore _store;
    private readonly WebhookSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public WebhookDispatcher(ReferenceStore store, WebhookSettings settings, TimeProvider time, ILogger log)
    {
        _store = store;
        _settings = settings;
        _time = time;
        _log = log;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds) })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own TimeProvider-driven deadline
        };
        foreach (var pending in store.PendingDeliveries())
        {
            Enqueue(pending);
        }

        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    /// <summary>Builds the signed delivery for a finished report (not yet stored or sent).</summary>
    public PendingDelivery Prepare(StoredReport report, string @event, string status)
    {
        var payload = new WebhookPayload(@event, report.ReportId, report.ReportType, status, ReferenceStore.Format(_time.GetUtcNow()));
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, ReferenceJsonContext.Default.WebhookPayload);
        return new PendingDelivery(Guid.NewGuid().ToString(), report.ReportId, report.WebhookUrl!, body, Sign(report.KeyHash, body), 0);
    }

    /// <summary>The contract's signature: HMAC-SHA256 keyed by the UTF-8 bytes of the key hash, over the raw body.</summary>
    public static string Sign(string keyHash, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(keyHash), body));

    /// <summary>Queues a stored delivery; when the queue is full it stays persisted and is sent after a restart.</summary>
    public void Enqueue(PendingDelivery delivery)
    {
        if (_active.TryAdd(delivery.DeliveryId, true) && !_queue.Writer.TryWrite(delivery))
        {
            _active.TryRemove(delivery.DeliveryId, out _);
            LogQueueFull(_log, delivery.ReportId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
            // Undelivered webhooks stay pending in the store.
        }

        _http.Dispose();
        _stop.Dispose();
        _slots.Dispose();
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync(ct))
        {
            _ = DeliverAsync(delivery, ct);
        }
    }

    private async Task DeliverAsync(PendingDelivery delivery, CancellationToken ct)
    {
        try
        {
            var attempts = delivery.Attempts;
            while (attempts < _settings.MaxAttempts)
            {
                if (attempts > 0)
                {
                    var backoff = TimeSpan.FromMilliseconds(_settings.InitialBackoffMs * Math.Pow(2, Math.Min(attempts - 1, 16)));
                    await Task.Delay(backoff, _time, ct);
                }

                attempts++;
                var error = await AttemptAsync(delivery, ct);
                if (error is null)
                {
                    await _store.RecordDeliveryAttemptAsync(delivery.DeliveryId, attempts, "delivered", null, CancellationToken.None);
                    return;
                }

                var done = attempts >= _settings.MaxAttempts;
                await _store.RecordDeliveryAttemptAsync(delivery.DeliveryId, attempts, done ? "failed" : "pending", error, CancellationToken.None);
                LogAttemptFailed(_log, delivery.ReportId, delivery.DeliveryId, attempts, error);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the delivery stays pending and resumes after a restart.
        }
        finally
        {
            _active.TryRemove(delivery.DeliveryId, out _);
        }
    }

    /// <summary>One POST; null on a 2xx, else what went wrong.</summary>
    private async Task<string?> AttemptAsync(PendingDelivery delivery, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_settings.TimeoutSeconds), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(delivery.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("X-Affinsy-Signature", delivery.Signature);
            request.Headers.TryAddWithoutValidation("X-Affinsy-Delivery", delivery.DeliveryId);
            request.Headers.UserAgent.ParseAdd("Affinsy-Webhooks/1.0");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer within {_settings.TimeoutSeconds} s";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError.ToString();
        }
        finally
        {
            _slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for report {ReportId} (delivery {DeliveryId}) attempt {Attempt} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger log, string reportId, string deliveryId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook queue full; delivery for report {ReportId} stays pending until the next start")]
    private static partial void LogQueueFull(ILogger log, string reportId);
}
