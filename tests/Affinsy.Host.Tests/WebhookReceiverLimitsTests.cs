using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Affinsy.Core.Configuration;
using Affinsy.Core.Telemetry;
using Affinsy.Host.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// The webhook receiver's limits, through a real Kestrel listener on loopback. The rejection counter is process-wide
/// and carries no listener tag, so the classes that provoke rejections share one collection and never run at once.
/// </summary>
[Collection(WebhookRejectionsCollection.Name)]
public sealed class WebhookReceiverLimitsTests : IDisposable
{
    private const string Key = "afn_listener_key";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly MeterListener _meter = new();
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);

    public WebhookReceiverLimitsTests()
    {
        _meter.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AffinsyMetrics.MeterName && instrument.Name == "affinsy.webhook_rejections")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _meter.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    _rejections.AddOrUpdate((string)tag.Value!, value, (_, sum) => sum + value);
                }
            }
        });
        _meter.Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _meter.Dispose();

    [Fact]
    public async Task A_body_declared_larger_than_max_body_bytes_gets_413()
    {
        await using var listener = await StartAsync(new WebhookSettings { MaxBodyBytes = 1024 });
        using var http = new HttpClient();
        var body = new byte[2 * 1024 * 1024];

        using var response = await PostAsync(http, listener.Url, new ByteArrayContent(body), Sign(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(1, _rejections.GetValueOrDefault("too_large"));
    }

    [Fact]
    public async Task A_chunked_body_that_grows_past_the_limit_gets_413_before_it_ends()
    {
        await using var listener = await StartAsync(new WebhookSettings { MaxBodyBytes = 1024 });

        // Raw HTTP/1.1, so the test sees the answer while it is still sending (HttpClient reports the closed pipe instead).
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(listener.Url.Host, listener.Url.Port, Ct);
        var stream = tcp.GetStream();
        var head = $"POST {listener.Url.AbsolutePath} HTTP/1.1\r\nHost: {listener.Url.Authority}\r\nTransfer-Encoding: chunked\r\nX-Affinsy-Signature: sha256={new string('0', 64)}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        var answer = ReadStatusLineAsync(stream);
        var chunk = Encoding.ASCII.GetBytes("1000\r\n" + new string('x', 4096) + "\r\n");
        long sent = 0;
        try
        {
            // Up to 256 MiB: a receiver that buffers everything would let all of it through before answering.
            while (!answer.IsCompleted && sent < 256L * 1024 * 1024)
            {
                await stream.WriteAsync(chunk, Ct);
                sent += 4096;
            }
        }
        catch (IOException)
        {
            // The receiver closed the connection after answering.
        }

        Assert.StartsWith("HTTP/1.1 413", await answer, StringComparison.Ordinal);
        Assert.True(sent < 256L * 1024 * 1024, $"the receiver read {sent:N0} bytes before answering");
        Assert.Equal(1, _rejections.GetValueOrDefault("too_large"));
    }

    private static async Task<string> ReadStatusLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, Ct) == 1 && one[0] != (byte)'\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString().TrimEnd('\r');
    }

    [Fact]
    public async Task A_body_of_exactly_max_body_bytes_is_read_and_judged()
    {
        var body = Delivery(Now);
        await using var listener = await StartAsync(new WebhookSettings { MaxBodyBytes = body.Length });
        using var http = new HttpClient();

        using var response = await PostAsync(http, listener.Url, new ByteArrayContent(body), Sign(body));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(listener.WhenNotified("rep_1").IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_signed_delivery_older_than_max_age_is_refused_and_counted_as_stale()
    {
        await using var listener = await StartAsync(new WebhookSettings { MaxAge = TimeSpan.FromMinutes(10) });
        using var http = new HttpClient();
        var old = Delivery(Now.AddMinutes(-11));

        using var response = await PostAsync(http, listener.Url, new ByteArrayContent(old), Sign(old));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(listener.WhenNotified("rep_1").IsCompleted);
        Assert.Equal(1, _rejections.GetValueOrDefault("stale"));
    }

    [Fact]
    public async Task Rejected_signatures_are_counted_by_reason()
    {
        await using var listener = await StartAsync(new WebhookSettings());
        using var http = new HttpClient();
        var body = Delivery(Now);

        (await PostAsync(http, listener.Url, new ByteArrayContent(body), null)).Dispose();
        (await PostAsync(http, listener.Url, new ByteArrayContent(body), "sha256=xyz")).Dispose();
        (await PostAsync(http, listener.Url, new ByteArrayContent(body), Sign(Delivery(Now.AddSeconds(1))))).Dispose();
        (await PostAsync(http, listener.Url, new ByteArrayContent(body), Sign(Delivery(Now.AddSeconds(2))))).Dispose();

        Assert.Equal(
            [("bad_signature", 2L), ("malformed_signature", 1L), ("unsigned", 1L)],
            _rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value)));
    }

    private static Task<WebhookListener> StartAsync(WebhookSettings settings) =>
        WebhookListener.StartAsync(settings with { Listen = new Uri("http://127.0.0.1:0") }, Key, NullLoggerFactory.Instance, Ct, new FakeTimeProvider(Now));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, HttpContent content, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (signature is not null)
        {
            request.Headers.Add("X-Affinsy-Signature", signature);
        }

        request.Headers.Add("X-Affinsy-Delivery", Guid.NewGuid().ToString());
        return await http.SendAsync(request, Ct);
    }

    /// <summary>A delivery as docs/AFFINSY_API.md (Webhooks) describes it.</summary>
    private static byte[] Delivery(DateTimeOffset timestamp) => Encoding.UTF8.GetBytes(
        $$"""{"event":"report.completed","report_id":"rep_1","report_type":"MBA","status":"Completed","timestamp":"{{timestamp:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""");

    /// <summary>The contract's signature, computed independently of the product code.</summary>
    private static string Sign(byte[] body)
    {
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(keyHash), body));
    }
}
