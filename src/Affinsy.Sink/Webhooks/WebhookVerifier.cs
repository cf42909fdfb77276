using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Affinsy.Sink.Api;
using Affinsy.Sink.Sending;

namespace Affinsy.Sink.Webhooks;

/// <summary>
/// Checks Affinsy webhook deliveries, independent of any web framework: raw body bytes and header values in,
/// a verdict out. <c>X-Affinsy-Signature</c> must be <c>sha256=</c> + lowercase hex HMAC-SHA256 of the raw body,
/// keyed with the UTF-8 bytes of the key hash (lowercase hex SHA-256 of the API key). The signature is checked
/// in constant time before anything is parsed; <c>X-Affinsy-Delivery</c> de-duplicates retries.
/// <para>
/// A signed body whose <c>timestamp</c> is older than the max age is refused as <see cref="WebhookStatus.Stale"/>.
/// This is defence in depth, not replay protection: Affinsy's signature covers the body (which holds the timestamp)
/// but no separate signed timestamp, and a captured delivery can be replayed within the window; the delivery id
/// de-duplication covers the ids this process still remembers.
/// </para>
/// </summary>
public sealed class WebhookVerifier
{
    public const string SignatureHeader = "X-Affinsy-Signature";
    public const string DeliveryHeader = "X-Affinsy-Delivery";
    private const string Prefix = "sha256=";
    private const int SignatureBytes = 32;
    private readonly byte[][] keys;
    private readonly DeliveryLog deliveries;
    private readonly TimeProvider time;
    private readonly TimeSpan maxAge;

    /// <param name="apiKeys">The keys whose reports may call back (one per Affinsy user this process serves).</param>
    /// <param name="rememberedDeliveries">How many delivery ids to remember for de-duplication.</param>
    /// <param name="time">The clock deliveries' timestamps are judged by (the system clock by default).</param>
    /// <param name="maxAge">How old a delivery's timestamp may be; unlimited by default.</param>
    public WebhookVerifier(IEnumerable<string> apiKeys, int rememberedDeliveries = 10_000, TimeProvider? time = null, TimeSpan? maxAge = null)
    {
        this.time = time ?? TimeProvider.System;
        this.maxAge = maxAge ?? TimeSpan.MaxValue;
        ArgumentNullException.ThrowIfNull(apiKeys);
        keys = [.. apiKeys.Select(k => Encoding.UTF8.GetBytes(SenderRegistry.KeyHash(k)))];
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one API key is needed to verify webhooks.", nameof(apiKeys));
        }

        deliveries = new DeliveryLog(rememberedDeliveries);
    }

    public WebhookVerifier(string apiKey, int rememberedDeliveries = 10_000, TimeProvider? time = null, TimeSpan? maxAge = null)
        : this([apiKey], rememberedDeliveries, time, maxAge)
    {
    }

    /// <summary>Judges one delivery. Call once per delivery: an accepted id is remembered.</summary>
    /// <param name="body">The request body exactly as received.</param>
    /// <param name="signature">The X-Affinsy-Signature header value, or null when absent.</param>
    /// <param name="deliveryId">The X-Affinsy-Delivery header value, or null when absent (then no de-duplication).</param>
    public WebhookVerdict Verify(ReadOnlySpan<byte> body, string? signature, string? deliveryId)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return new WebhookVerdict(WebhookStatus.Unsigned, null, $"The {SignatureHeader} header is missing.");
        }

        Span<byte> claimed = stackalloc byte[SignatureBytes];
        if (!TryParse(signature, claimed))
        {
            return new WebhookVerdict(WebhookStatus.MalformedSignature, null,
                $"The {SignatureHeader} header is not 'sha256=' followed by 64 hex digits.");
        }

        if (!IsSignedByAnyKey(body, claimed))
        {
            return new WebhookVerdict(WebhookStatus.BadSignature, null,
                "The signature does not match the body for any configured API key (tampered, or signed with another key).");
        }

        WebhookPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body, AffinsyJsonContext.Default.WebhookPayload);
        }
        catch (JsonException e)
        {
            return new WebhookVerdict(WebhookStatus.MalformedBody, null, $"The signed body is not a report event: {e.Message}");
        }

        if (payload is null || string.IsNullOrEmpty(payload.ReportId) || string.IsNullOrEmpty(payload.Event))
        {
            return new WebhookVerdict(WebhookStatus.MalformedBody, null, "The signed body has no event or report_id.");
        }

        if (maxAge != TimeSpan.MaxValue && time.GetUtcNow() - payload.Timestamp > maxAge)
        {
            return new WebhookVerdict(WebhookStatus.Stale, null,
                $"The delivery's timestamp {payload.Timestamp:u} is more than {maxAge.TotalMinutes:0.#} minutes old (webhooks.max_age): refused as a possible replay.");
        }

        if (!string.IsNullOrEmpty(deliveryId) && !deliveries.TryAdd(deliveryId))
        {
            return new WebhookVerdict(WebhookStatus.Duplicate, payload, $"Delivery {deliveryId} was already accepted.");
        }

        return new WebhookVerdict(WebhookStatus.Accepted, payload, null);
    }

    private bool IsSignedByAnyKey(ReadOnlySpan<byte> body, ReadOnlySpan<byte> claimed)
    {
        Span<byte> expected = stackalloc byte[SignatureBytes];
        var match = false;
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key, body, expected);
            // Every key is tried, so timing says nothing about which one (or whether one) matched.
            match |= CryptographicOperations.FixedTimeEquals(expected, claimed);
        }

        return match;
    }

    private static bool TryParse(string header, Span<byte> signature)
    {
        var value = header.AsSpan().Trim();
        if (!value.StartsWith(Prefix, StringComparison.Ordinal) || value.Length != Prefix.Length + (2 * SignatureBytes))
        {
            return false;
        }

        return Convert.FromHexString(value[Prefix.Length..], signature, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == SignatureBytes;
    }
}
