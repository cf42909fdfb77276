using System.Security.Cryptography;
using System.Text;
using Affinsy.Sink.Webhooks;

namespace Affinsy.Sink.Tests;

public sealed class WebhookVerifierTests
{
    private const string Key = "afn_live_webhook_key";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"event":"report.completed","report_id":"rep_1","report_type":"MBA","status":"Completed","timestamp":"2025-03-15T10:30:00Z"}""");

    /// <summary>The documented scheme, computed here independently of the verifier.</summary>
    private static string Sign(byte[] body, string apiKey)
    {
        var keyHash = string.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(keyHash));
        return "sha256=" + string.Concat(hmac.ComputeHash(body).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_correctly_signed_delivery_is_accepted_and_parsed()
    {
        var verdict = new WebhookVerifier(Key).Verify(Body, Sign(Body, Key), "d-1");

        Assert.Equal(WebhookStatus.Accepted, verdict.Status);
        Assert.Equal("rep_1", verdict.Payload!.ReportId);
        Assert.Equal(WebhookPayload.ReportCompleted, verdict.Payload.Event);
        Assert.Equal("MBA", verdict.Payload.ReportType);
        Assert.Equal(new DateTimeOffset(2025, 3, 15, 10, 30, 0, TimeSpan.Zero), verdict.Payload.Timestamp);
    }

    [Fact]
    public void A_tampered_body_is_rejected()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^3] ^= 1;

        Assert.Equal(WebhookStatus.BadSignature, new WebhookVerifier(Key).Verify(tampered, Sign(Body, Key), "d-1").Status);
    }

    [Fact]
    public void A_signature_wrong_only_in_its_last_digit_is_rejected()
    {
        var signature = Sign(Body, Key);
        var forged = signature[..^1] + (signature[^1] == '0' ? '1' : '0');

        Assert.Equal(WebhookStatus.BadSignature, new WebhookVerifier(Key).Verify(Body, forged, "d-1").Status);
    }

    [Fact]
    public void A_body_signed_with_another_key_is_rejected()
    {
        Assert.Equal(WebhookStatus.BadSignature, new WebhookVerifier(Key).Verify(Body, Sign(Body, "afn_other"), "d-1").Status);
    }

    [Fact]
    public void A_delivery_for_any_configured_key_is_accepted()
    {
        var verifier = new WebhookVerifier(["afn_first", Key]);

        Assert.Equal(WebhookStatus.Accepted, verifier.Verify(Body, Sign(Body, Key), "d-1").Status);
    }

    [Theory]
    [InlineData(null, nameof(WebhookStatus.Unsigned))]
    [InlineData("", nameof(WebhookStatus.Unsigned))]
    [InlineData("sha256=", nameof(WebhookStatus.MalformedSignature))]
    [InlineData("sha1=0123", nameof(WebhookStatus.MalformedSignature))]
    [InlineData("sha256=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", nameof(WebhookStatus.MalformedSignature))]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", nameof(WebhookStatus.MalformedSignature))]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", nameof(WebhookStatus.BadSignature))]
    public void Missing_or_malformed_signatures_are_rejected(string? header, string expected)
    {
        var verdict = new WebhookVerifier(Key).Verify(Body, header, "d-1");

        Assert.Equal(Enum.Parse<WebhookStatus>(expected), verdict.Status);
        Assert.False(verdict.IsAuthentic);
        Assert.Null(verdict.Payload);
    }

    [Fact]
    public void A_repeated_delivery_id_is_flagged_as_a_duplicate_but_authentic()
    {
        var verifier = new WebhookVerifier(Key);
        verifier.Verify(Body, Sign(Body, Key), "d-1");

        var again = verifier.Verify(Body, Sign(Body, Key), "d-1");

        Assert.Equal(WebhookStatus.Duplicate, again.Status);
        Assert.True(again.IsAuthentic);
        Assert.Equal(WebhookStatus.Accepted, verifier.Verify(Body, Sign(Body, Key), "d-2").Status);
    }

    [Fact]
    public void A_forged_delivery_does_not_use_up_its_delivery_id()
    {
        var verifier = new WebhookVerifier(Key);
        verifier.Verify(Body, Sign(Body, "afn_other"), "d-1");

        Assert.Equal(WebhookStatus.Accepted, verifier.Verify(Body, Sign(Body, Key), "d-1").Status);
    }

    [Fact]
    public void Delivery_memory_is_bounded_and_forgets_the_oldest_first()
    {
        var verifier = new WebhookVerifier(Key, rememberedDeliveries: 2);
        foreach (var id in new[] { "d-1", "d-2", "d-3" })
        {
            verifier.Verify(Body, Sign(Body, Key), id);
        }

        Assert.Equal(WebhookStatus.Duplicate, verifier.Verify(Body, Sign(Body, Key), "d-3").Status);
        Assert.Equal(WebhookStatus.Accepted, verifier.Verify(Body, Sign(Body, Key), "d-1").Status);
    }

    [Fact]
    public void A_signed_body_that_is_not_a_report_event_is_malformed()
    {
        var body = Encoding.UTF8.GetBytes("not json");

        Assert.Equal(WebhookStatus.MalformedBody, new WebhookVerifier(Key).Verify(body, Sign(body, Key), "d-1").Status);
    }
}
