using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Affinsy.Sink.Tests.Fakes;

/// <summary>
/// A fake of the remote Affinsy API for POST /data/orders, as an HttpMessageHandler: checks the key,
/// enforces its own rolling rate window on the fake clock (answering 429 with Retry-After), validates
/// and upserts rows, applies a row cap, and records every request. Tests can script answers
/// (<see cref="Script"/>) and hold requests in flight (<see cref="Hold"/>).
/// </summary>
internal sealed class FakeAffinsy : HttpMessageHandler
{
    public const string Key = "afn_test_key_0123456789";
    private readonly TimeProvider time;
    private readonly Lock sync = new();
    private readonly List<DateTimeOffset> window = [];
    private readonly Dictionary<(string Dataset, string Order, string Product), (decimal Price, decimal Quantity)> rows = [];
    private readonly List<Arrival> arrivals = [];
    private int inFlight;

    public FakeAffinsy(TimeProvider time) => this.time = time;

    public int RateLimit { get; init; } = 60;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether answers carry X-RateLimit-* headers (without them only the client's own pacing avoids 429s).</summary>
    public bool RateHeaders { get; init; } = true;

    /// <summary>Whether 400s carry per-order details (else the client must bisect).</summary>
    public bool DetailsInErrors { get; init; } = true;

    /// <summary>
    /// A server-side rule the pipeline's normalizer does not know (quantities above it are refused with a 400), so a
    /// test can make orders reach the API and be refused there.
    /// </summary>
    public decimal MaxQuantity { get; init; } = decimal.MaxValue;

    /// <summary>Stored line-item rows beyond which inserts are rejected with a warning.</summary>
    public int? RowCap { get; init; }

    /// <summary>When true, every request waits, after being counted, until the test releases it (see <see cref="Arrivals"/>).</summary>
    public bool Hold { get; init; }

    /// <summary>Called for every request that passed auth and rate limit; a non-null answer replaces the normal one; may throw to drop the connection.</summary>
    public Func<Arrival, HttpResponseMessage?>? Script { get; set; }

    /// <summary>
    /// Called after a request was stored (its 200 answer built); a non-null answer replaces that one: the documented
    /// "applied, answered 504" (AFFINSY_API.md, Errors and Concurrency).
    /// </summary>
    public Func<Arrival, HttpResponseMessage?>? AfterApplying { get; set; }

    /// <summary>Held requests, in arrival order.</summary>
    public Channel<Arrival> Arrivals { get; } = Channel.CreateUnbounded<Arrival>();

    public int PeakInFlight { get; private set; }

    public int Throttled { get; private set; }

    public IReadOnlyList<Arrival> Requests
    {
        get
        {
            lock (sync)
            {
                return [.. arrivals];
            }
        }
    }

    /// <summary>What is stored, as (dataset, order_id, product_name) -> (unit_price, quantity).</summary>
    public IReadOnlyDictionary<(string Dataset, string Order, string Product), (decimal Price, decimal Quantity)> Rows
    {
        get
        {
            lock (sync)
            {
                return new Dictionary<(string, string, string), (decimal, decimal)>(rows);
            }
        }
    }

    public HttpClient CreateClient() => new(this) { Timeout = Timeout.InfiniteTimeSpan };

    public static HttpResponseMessage Answer(HttpStatusCode status, string json, TimeSpan? retryAfter = null, int? remaining = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (retryAfter is { } after)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after);
        }

        if (remaining is { } r)
        {
            response.Headers.Add("X-RateLimit-Remaining", r.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var now = time.GetUtcNow();
        var arrival = new Arrival(request.Method.Method, request.RequestUri!.AbsolutePath, body, now);
        int remaining;
        lock (sync)
        {
            arrivals.Add(arrival);
            if (request.Headers.Authorization?.Scheme != "Bearer" || request.Headers.Authorization.Parameter != Key)
            {
                return WithLimit(Answer(HttpStatusCode.Unauthorized, """{"error":"Invalid or missing API key."}"""), RateLimit);
            }

            window.RemoveAll(t => t + Window <= now);
            if (window.Count >= RateLimit)
            {
                Throttled++;
                var wait = window[0] + Window - now;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                return WithLimit(Answer(HttpStatusCode.TooManyRequests, """{"error":"Rate limit exceeded."}""", TimeSpan.FromSeconds(seconds)), 0);
            }

            window.Add(now);
            remaining = RateLimit - window.Count;
            inFlight++;
            PeakInFlight = Math.Max(PeakInFlight, inFlight);
        }

        try
        {
            if (Hold)
            {
                await Arrivals.Writer.WriteAsync(arrival, cancellationToken);
                await arrival.Released.WaitAsync(cancellationToken);
            }

            var response = Script?.Invoke(arrival) ?? Ingest(body);
            if (response.StatusCode == HttpStatusCode.OK && AfterApplying?.Invoke(arrival) is { } replaced)
            {
                response.Dispose();
                response = replaced;
            }

            return WithLimit(response, remaining);
        }
        finally
        {
            lock (sync)
            {
                inFlight--;
            }
        }
    }

    private HttpResponseMessage WithLimit(HttpResponseMessage response, int remaining)
    {
        if (!RateHeaders)
        {
            return response;
        }

        response.Headers.Add("X-RateLimit-Limit", RateLimit.ToString(CultureInfo.InvariantCulture));
        if (!response.Headers.Contains("X-RateLimit-Remaining"))
        {
            response.Headers.Add("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private HttpResponseMessage Ingest(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var dataset = root.GetProperty("dataset_id").GetString()!;
        var orders = root.GetProperty("orders");
        var lineItems = orders.EnumerateArray().Sum(o => o.GetProperty("line_items").GetArrayLength());
        if (lineItems > 10_000)
        {
            return Answer(HttpStatusCode.RequestEntityTooLarge, $$"""{"error":"Too many line items: {{lineItems}} (max 10000)."}""");
        }

        var details = QuantityProblems(orders);
        if (details.Count > 0)
        {
            var json = DetailsInErrors
                ? $$"""{"error":"Validation failed.","details":[{{string.Join(',', details)}}]}"""
                : """{"error":"Validation failed."}""";
            return Answer(HttpStatusCode.BadRequest, json);
        }

        var (inserted, updated, rejected) = Upsert(dataset, orders);
        var warning = rejected > 0 ? "\"Plan row cap reached: new rows were skipped.\"" : "null";
        return Answer(HttpStatusCode.OK, $$"""
            {"import_id":"imp_{{Guid.NewGuid():N}}","dataset_id":"{{dataset}}","status":"completed",
             "orders_received":{{orders.GetArrayLength()}},"line_items_received":{{lineItems}},
             "inserted":{{inserted}},"updated":{{updated}},"rejected":{{rejected}},"warning":{{warning}}}
            """);
    }

    /// <summary>The API's quantity rule: each line's path and message when it is not in (0, MaxQuantity].</summary>
    private List<string> QuantityProblems(JsonElement orders)
    {
        var details = new List<string>();
        var index = 0;
        foreach (var order in orders.EnumerateArray())
        {
            var line = 0;
            foreach (var item in order.GetProperty("line_items").EnumerateArray())
            {
                var quantity = item.GetProperty("quantity").GetDecimal();
                if (quantity <= 0)
                {
                    details.Add($$"""{"path":"orders[{{index}}].line_items[{{line}}].quantity","message":"must be greater than 0"}""");
                }
                else if (quantity > MaxQuantity)
                {
                    details.Add($$"""{"path":"orders[{{index}}].line_items[{{line}}].quantity","message":"must be at most {{MaxQuantity}}"}""");
                }

                line++;
            }

            index++;
        }

        return details;
    }

    /// <summary>Upserts every line on (dataset, order, product); new rows past <see cref="RowCap"/> are rejected.</summary>
    private (int Inserted, int Updated, int Rejected) Upsert(string dataset, JsonElement orders)
    {
        int inserted = 0, updated = 0, rejected = 0;
        lock (sync)
        {
            foreach (var order in orders.EnumerateArray())
            {
                var orderId = order.GetProperty("order_id").GetString()!;
                foreach (var item in order.GetProperty("line_items").EnumerateArray())
                {
                    var key = (dataset, orderId, item.GetProperty("product_name").GetString()!);
                    var value = (item.GetProperty("unit_price").GetDecimal(), item.GetProperty("quantity").GetDecimal());
                    if (rows.ContainsKey(key))
                    {
                        rows[key] = value;
                        updated++;
                    }
                    else if (RowCap is { } cap && rows.Count >= cap)
                    {
                        rejected++;
                    }
                    else
                    {
                        rows[key] = value;
                        inserted++;
                    }
                }
            }
        }

        return (inserted, updated, rejected);
    }
}

/// <summary>One request as the fake received it.</summary>
internal sealed class Arrival(string method, string path, byte[] body, DateTimeOffset at)
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Method { get; } = method;

    public string Path { get; } = path;

    public byte[] Body { get; } = body;

    public DateTimeOffset At { get; } = at;

    public Task Released => released.Task;

    /// <summary>The order ids in an ingest body.</summary>
    public IReadOnlyList<string> OrderIds
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return [.. document.RootElement.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("order_id").GetString()!)];
        }
    }

    public void Release() => released.TrySetResult();
}
