using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Affinsy.Emulators.Shopify;

/// <summary>The REST Admin API orders list with Link paging and the leaky-bucket call limit (shopify.dev "REST Admin API rate limits").</summary>
public sealed partial class ShopifyEmulator
{
    private async Task RestOrdersAsync(HttpContext context, string version)
    {
        lock (gate)
        {
            RestRequests++;
        }

        if (await RejectAsync(context, version).ConfigureAwait(false))
        {
            return;
        }

        if (!MayReadOrders)
        {
            // The REST Admin API answers a token without the resource's scope 403 (shopify.dev "REST Admin API" status codes).
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("{\"errors\":\"[API] This action requires merchant approval for read_orders scope.\"}", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var q = context.Request.Query;
        string body;
        string? next = null;
        lock (gate)
        {
            if (options.Throttle && !calls.TryTake(1))
            {
                ThrottleViolations++;
                context.Response.StatusCode = 429;
                // shopify.dev "REST Admin API rate limits": a 429 carries Retry-After (seen as "2.0") and no call-limit header.
                context.Response.Headers["Retry-After"] = Math.Max(0.5, calls.SecondsUntil(1)).ToString("0.0", CultureInfo.InvariantCulture);
                body = "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}";
            }
            else
            {
                var limit = int.Parse(q["limit"].FirstOrDefault() ?? "50", CultureInfo.InvariantCulture);
                DateTimeOffset since;
                bool any;
                long afterTicks = long.MinValue, afterId = long.MinValue;
                if (q["page_info"].FirstOrDefault() is { } pageInfo)
                {
                    if (q.Keys.Any(k => k is not ("page_info" or "limit" or "fields")))
                    {
                        context.Response.StatusCode = 400;
                        body = "{\"errors\":{\"page_info\":[\"page_info may only be combined with limit and fields\"]}}";
                        goto answer;
                    }

                    var parts = Encoding.UTF8.GetString(Convert.FromBase64String(pageInfo)).Split(':');
                    since = new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero);
                    any = parts[1] == "any";
                    afterTicks = long.Parse(parts[2], CultureInfo.InvariantCulture);
                    afterId = long.Parse(parts[3], CultureInfo.InvariantCulture);
                }
                else
                {
                    since = q["updated_at_min"].FirstOrDefault() is { } min
                        ? DateTimeOffset.Parse(min, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                        : DateTimeOffset.MinValue;
                    any = q["status"].FirstOrDefault() == "any";
                }

                var page = Sorted()
                    .Where(o => o.UpdatedAt >= since && (any || o.CancelledAt is null))
                    .Where(o => o.UpdatedAt.UtcTicks > afterTicks || (o.UpdatedAt.UtcTicks == afterTicks && o.Id > afterId))
                    .Take(limit + 1).ToList();
                if (page.Count > limit)
                {
                    page.RemoveAt(page.Count - 1);
                    var last = page[^1];
                    var info = Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                        $"{since.UtcTicks}:{(any ? "any" : "open")}:{last.UpdatedAt.UtcTicks}:{last.Id}")));
                    next = new Uri(BaseUrl, $"admin/api/{version}/orders.json?limit={limit}&page_info={Uri.EscapeDataString(info)}").ToString();
                }

                var buffer = new ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteStartArray("orders");
                    foreach (var order in page)
                    {
                        OrderJsonWriter.RestOrder(w, order);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                body = Encoding.UTF8.GetString(buffer.WrittenSpan);
                if (options.Throttle)
                {
                    context.Response.Headers["X-Shopify-Shop-Api-Call-Limit"] = string.Create(CultureInfo.InvariantCulture,
                        $"{(int)Math.Ceiling(options.CallBucket - calls.Available)}/{options.CallBucket}");
                }
            }

        answer:;
        }

        // shopify.dev "Make paginated requests to the REST Admin API": Link carries rel="previous" and rel="next" URLs.
        var links = new List<string>();
        if (q.ContainsKey("page_info"))
        {
            links.Add($"<{new Uri(BaseUrl, $"admin/api/{version}/orders.json?limit={q["limit"]}&page_info=cHJldmlvdXM")}>; rel=\"previous\"");
        }

        if (next is not null)
        {
            links.Add($"<{next}>; rel=\"next\"");
        }

        if (links.Count > 0)
        {
            context.Response.Headers["Link"] = string.Join(", ", links);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
