using Affinsy.Core.Configuration;

namespace Affinsy.Sink;

/// <summary>
/// How the sink talks to one Affinsy user: where, with which key, and within which limits.
/// Defaults are the API's documented limits; lower them to leave room for other clients of the same user.
/// </summary>
public sealed class SinkOptions
{
    /// <summary>The API's own cap on line items in one POST /data/orders.</summary>
    public const int ApiMaxLineItemsPerRequest = IngestLimits.ApiMaxLineItemsPerRequest;

    /// <summary>The API's base, ending in <c>/api/v1</c> (a trailing slash is optional). Required.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The user's API key (<c>afn_...</c>). Required; never logged.</summary>
    public required string ApiKey { get; init; }

    /// <summary>Line items packed into one request, 1-10,000. Default 10,000.</summary>
    public int MaxLineItemsPerRequest { get; init; } = ApiMaxLineItemsPerRequest;

    /// <summary>Ingest requests in flight for this user, all pipelines together, 1-2. Default 2 (more is answered 504).</summary>
    public int MaxInFlight { get; init; } = IngestLimits.MaxInFlight.Default;

    /// <summary>
    /// Requests per rolling <see cref="Window"/> for this user, all endpoints. Default 60. Set here, above the API's
    /// 60 is allowed (tests and benchmarks against an unthrottled server); the configuration caps it at 60.
    /// </summary>
    public int RequestsPerMinute { get; init; } = IngestLimits.RequestsPerMinute.Default;

    /// <summary>The rolling window the rate applies to. Default 60 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(IngestLimits.WindowSeconds.Default);

    /// <summary>What to do when the plan's row cap rejects inserts. Default <see cref="PlanCapPolicy.Warn"/>.</summary>
    public PlanCapPolicy OnPlanCap { get; init; } = PlanCapPolicy.Warn;

    /// <summary>How long one HTTP exchange may take before it counts as timed out and is retried. Default 45 s (the server answers 504 at 30 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Attempts per request, first one included, before the sync gives up. Default 8.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>First retry delay; later ones grow exponentially with jitter. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay (a server's Retry-After is honoured even when longer). Default 60 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Source batches buffered between the source and the packer; bounds memory. Default 4.</summary>
    public int ChannelCapacity { get; init; } = 4;

    /// <summary>
    /// How long a partly filled request waits for more orders when the source has none ready (a streaming
    /// source between messages); a full request never waits. Default 200 ms.
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The options a configuration's <c>affinsy</c> section gives, for the API at <paramref name="baseUrl"/> (the embedded server's when so configured).</summary>
    public static SinkOptions From(AffinsySettings settings, Uri baseUrl, string apiKey) => new()
    {
        BaseUrl = baseUrl,
        ApiKey = apiKey,
        MaxLineItemsPerRequest = settings.Ingest.MaxLineItemsPerRequest,
        MaxInFlight = settings.Ingest.MaxInFlight,
        RequestsPerMinute = settings.Ingest.RequestsPerMinute,
        Window = TimeSpan.FromSeconds(settings.Ingest.WindowSeconds),
        OnPlanCap = settings.OnPlanCap,
    };

    /// <summary>Every problem with these options, each naming the setting and what to do; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("base_url must be an absolute http(s) URL such as https://www.affinsy.com/api/v1.");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add("api_key is empty: set AFFINSY_API_KEY to the key of a Max (or higher) plan user.");
        }

        var (items, inFlight, rate) = (IngestLimits.MaxLineItemsPerRequest, IngestLimits.MaxInFlight, IngestLimits.RequestsPerMinute);
        Check(problems, items.Allows(MaxLineItemsPerRequest),
            $"{items.Key} must be between {items.Min} and {items.Max} (was {MaxLineItemsPerRequest}).");
        Check(problems, inFlight.Allows(MaxInFlight),
            $"{inFlight.Key} must be {inFlight.Min} or {inFlight.Max}, the API answers 504 beyond {inFlight.Max} concurrent ingests (was {MaxInFlight}).");
        Check(problems, RequestsPerMinute >= rate.Min, $"{rate.Key} must be at least {rate.Min} (was {RequestsPerMinute}).");
        Check(problems, Window > TimeSpan.Zero, $"window must be positive (was {Window}).");
        Check(problems, RequestTimeout > TimeSpan.Zero, $"request_timeout must be positive (was {RequestTimeout}).");
        Check(problems, MaxAttempts is >= 1 and <= 100, $"max_attempts must be between 1 and 100 (was {MaxAttempts}).");
        Check(problems, RetryBaseDelay >= TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay,
            "retry delays must satisfy 0 <= retry_base_delay <= retry_max_delay.");
        Check(problems, Linger >= TimeSpan.Zero, $"linger must not be negative (was {Linger}).");
        Check(problems, ChannelCapacity >= 1, $"channel_capacity must be at least 1 (was {ChannelCapacity}).");
        return problems;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem when the options are invalid.</summary>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Affinsy sink options: " + string.Join(" ", problems));
        }
    }

    private static void Check(List<string> problems, bool ok, string problem)
    {
        if (!ok)
        {
            problems.Add(problem);
        }
    }
}
