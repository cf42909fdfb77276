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

        string body;
        string? next;
        lock (gate)
        {
            body = AnswerRestOrders(context, version, out next);
        }

        SetRestLinks(context, version, next);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Takes a call from the bucket and answers one page (or the 429 / 400 body); called under <c>gate</c>.</summary>
    private string AnswerRestOrders(HttpContext context, string version, out string? next)
    {
        next = null;
        if (options.Throttle && !calls.TryTake(1))
        {
            ThrottleViolations++;
            context.Response.StatusCode = 429;
            // shopify.dev "REST Admin API rate limits", "Retry-After header"
            // (https://shopify.dev/docs/api/admin-rest/usage/rate-limits#retry-after-header): over the limit, 429 Too Many
            // Requests with Retry-After, the seconds to wait until a request is allowed again; the page's example shows
            // "X-Shopify-Shop-Api-Call-Limit: 40/40" and "Retry-After: 2.0" together. No fixed wait is documented, so the
            // emulator sends its bucket's own wait, rounded up to a tenth, in that form (one decimal, "2.0", "0.5"), and
            // the full bucket in the call-limit header.
            var wait = Math.Max(0.1, Math.Ceiling((calls.SecondsUntil(1) * 10) - 1e-9) / 10);
            context.Response.Headers["Retry-After"] = wait.ToString("0.0", CultureInfo.InvariantCulture);
            context.Response.Headers["X-Shopify-Shop-Api-Call-Limit"] = string.Create(CultureInfo.InvariantCulture, $"{options.CallBucket}/{options.CallBucket}");
            return "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}";
        }

        var q = context.Request.Query;
        if (q.ContainsKey("page_info") && q.Keys.Any(k => k is not ("page_info" or "limit" or "fields")))
        {
            context.Response.StatusCode = 400;
            return "{\"errors\":{\"page_info\":[\"page_info may only be combined with limit and fields\"]}}";
        }

        var limit = int.Parse(q["limit"].FirstOrDefault() ?? "50", CultureInfo.InvariantCulture);
        var cursor = RestCursor.Read(q);
        // shopify.dev REST Admin "Order" resource, "Retrieves a list of orders"
        // (https://shopify.dev/docs/api/admin-rest/latest/resources/order): its parameters are ids, limit, since_id,
        // created/updated/processed_at_min/max, attribution_app_id, name, status, financial_status, fulfillment_status
        // and fields. No `order` parameter and no sort are documented, so `order` is ignored (never sorted by
        // updated_at) and the list comes newest order first, by id: the emulator's choice, since Shopify states no default
        // (changelog 2017-09-18 "Orders with the since_id parameter are now sorted by order ID" is the only sort it
        // states) and a client must depend on none.
        // With since_id the list is in ascending id order, after that id (the changelog above); without, newest first.
        var all = NewestFirst();
        var start = cursor.AfterId is { } after ? all.Length - FirstBelow(all, after + 1) : FirstBelow(all, cursor.BeforeId);
        var page = new List<EmulatedOrder>(limit + 1);
        for (var i = start; i < all.Length && page.Count <= limit; i++)
        {
            var o = cursor.AfterId is null ? all[i] : all[all.Length - 1 - i];
            if (o.UpdatedAt >= cursor.Since && (cursor.Any || o.CancelledAt is null))
            {
                page.Add(o);
            }
        }

        if (page.Count > limit)
        {
            page.RemoveAt(page.Count - 1);
            var info = (cursor.AfterId is null ? cursor with { BeforeId = page[^1].Id } : cursor with { AfterId = page[^1].Id }).Encode();
            next = new Uri(BaseUrl, $"admin/api/{version}/orders.json?limit={limit}&page_info={Uri.EscapeDataString(info)}").ToString();
        }

        if (options.Throttle)
        {
            context.Response.Headers["X-Shopify-Shop-Api-Call-Limit"] = string.Create(CultureInfo.InvariantCulture,
                $"{(int)Math.Ceiling(options.CallBucket - calls.Available)}/{options.CallBucket}");
        }

        return WriteRestOrders(page);
    }

    private static string WriteRestOrders(List<EmulatedOrder> page)
    {
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

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void SetRestLinks(HttpContext context, string version, string? next)
    {
        // shopify.dev "Make paginated requests to the REST Admin API": Link carries rel="previous" and rel="next" URLs.
        var q = context.Request.Query;
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
    }

    /// <summary>The index of the first order (ids descending) whose id is below <paramref name="id"/>.</summary>
    private static int FirstBelow(EmulatedOrder[] newestFirst, long id)
    {
        int lo = 0, hi = newestFirst.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (newestFirst[mid].Id >= id)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Where a REST page starts: the first page's filters, carried on in the opaque page_info of the next.</summary>
    /// <summary>Newest first below <paramref name="BeforeId"/>, or (since_id) ascending after <paramref name="AfterId"/>.</summary>
    private readonly record struct RestCursor(DateTimeOffset Since, bool Any, long BeforeId, long? AfterId)
    {
        public static RestCursor Read(IQueryCollection q)
        {
            if (q["page_info"].FirstOrDefault() is { } pageInfo)
            {
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(pageInfo)).Split(':');
                return new RestCursor(
                    new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero),
                    parts[1] == "any",
                    long.Parse(parts[2], CultureInfo.InvariantCulture),
                    parts[3].Length == 0 ? null : long.Parse(parts[3], CultureInfo.InvariantCulture));
            }

            var since = q["updated_at_min"].FirstOrDefault() is { } min
                ? DateTimeOffset.Parse(min, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : DateTimeOffset.MinValue;
            long? after = q["since_id"].FirstOrDefault() is { } id ? long.Parse(id, CultureInfo.InvariantCulture) : null;
            return new RestCursor(since, q["status"].FirstOrDefault() == "any", long.MaxValue, after);
        }

        public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{Since.UtcTicks}:{(Any ? "any" : "open")}:{BeforeId}:{AfterId}")));
    }
}
