using System.Net;
using System.Security.Cryptography;
using System.Text;
using Affinsy.Core.Configuration;
using Affinsy.Host.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Affinsy.Host.Tests;

[Collection(WebhookRejectionsCollection.Name)]
public sealed class WebhookListenerTests
{
    private const string Key = "afn_listener_key";

    [Fact]
    public async Task Only_deliveries_signed_with_our_key_over_the_exact_bytes_are_accepted()
    {
        var settings = new WebhookSettings { Listen = new Uri("http://127.0.0.1:0"), Path = "/hooks/affinsy" };
        // The deliveries below are stamped 2026-01-01; judge them at that time, inside webhooks.max_age.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero));
        await using var listener = await WebhookListener.StartAsync(settings, Key, NullLoggerFactory.Instance, TestContext.Current.CancellationToken, time);
        using var http = new HttpClient();
        var body = """{"event":"report.completed","report_id":"rep_1","report_type":"MBA","status":"Completed","timestamp":"2026-01-01T00:00:00Z"}"""u8.ToArray();
        var tampered = body.ToArray();
        tampered[^5] = (byte)'1';

        var good = await PostAsync(http, listener.Url, body, Sign(Key, body), "d-1");
        var duplicate = await PostAsync(http, listener.Url, body, Sign(Key, body), "d-1");
        var changed = await PostAsync(http, listener.Url, tampered, Sign(Key, body), "d-2");
        var foreign = await PostAsync(http, listener.Url, body, Sign("afn_someone_else", body), "d-3");
        var unsigned = await PostAsync(http, listener.Url, body, null, "d-4");

        Assert.True(good.IsSuccessStatusCode);
        Assert.True(duplicate.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.True(listener.WhenNotified("rep_1").IsCompletedSuccessfully);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, byte[] body, string? signature, string delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        if (signature is not null)
        {
            request.Headers.Add("X-Affinsy-Signature", signature);
        }

        request.Headers.Add("X-Affinsy-Delivery", delivery);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The contract's signature, computed independently of the product code.</summary>
    private static string Sign(string apiKey, byte[] body)
    {
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(keyHash), body));
    }
}
