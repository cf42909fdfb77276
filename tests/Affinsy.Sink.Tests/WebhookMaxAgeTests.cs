using System.Security.Cryptography;
using System.Text;
using Affinsy.Sink.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Affinsy.Sink.Tests;

/// <summary>
/// The max age of a delivery's <c>timestamp</c> (docs/AFFINSY_API.md, Webhooks: the body carries
/// <c>"timestamp"</c>; the signature covers the body only).
/// </summary>
public sealed class WebhookMaxAgeTests
{
    private const string Key = "afn_live_webhook_key";
    private static readonly DateTimeOffset Sent = new(2025, 3, 15, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_signed_delivery_older_than_the_max_age_is_refused_as_stale_and_not_remembered()
    {
        var time = new FakeTimeProvider(Sent.AddMinutes(10).AddSeconds(1));
        var verifier = new WebhookVerifier(Key, time: time, maxAge: TimeSpan.FromMinutes(10));
        var body = Body(Sent);

        var stale = verifier.Verify(body, Sign(body), "d-1");
        var fresh = verifier.Verify(Body(Sent.AddMinutes(5)), Sign(Body(Sent.AddMinutes(5))), "d-1");

        Assert.Equal(WebhookStatus.Stale, stale.Status);
        Assert.False(stale.IsAuthentic);
        Assert.Null(stale.Payload);
        Assert.Contains("webhooks.max_age", stale.Reason, StringComparison.Ordinal);
        Assert.Equal(WebhookStatus.Accepted, fresh.Status);
    }

    [Fact]
    public void A_delivery_exactly_at_the_max_age_is_accepted()
    {
        var verifier = new WebhookVerifier(Key, time: new FakeTimeProvider(Sent.AddMinutes(10)), maxAge: TimeSpan.FromMinutes(10));

        Assert.Equal(WebhookStatus.Accepted, verifier.Verify(Body(Sent), Sign(Body(Sent)), "d-1").Status);
    }

    [Fact]
    public void A_forged_old_delivery_is_a_bad_signature_not_a_stale_one()
    {
        var verifier = new WebhookVerifier(Key, time: new FakeTimeProvider(Sent.AddDays(1)), maxAge: TimeSpan.FromMinutes(10));

        Assert.Equal(WebhookStatus.BadSignature, verifier.Verify(Body(Sent), Sign(Body(Sent.AddSeconds(1))), "d-1").Status);
    }

    private static byte[] Body(DateTimeOffset timestamp) => Encoding.UTF8.GetBytes(
        $$"""{"event":"report.completed","report_id":"rep_1","report_type":"MBA","status":"Completed","timestamp":"{{timestamp:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""");

    /// <summary>The documented scheme, computed here independently of the verifier.</summary>
    private static string Sign(byte[] body)
    {
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(keyHash), body));
    }
}
