using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Affinsy.Emulators.WooCommerce;

/// <summary>
/// The emulator's two routes: <c>GET /orders</c> (filters, sort, <c>X-WP-Total</c>, <c>X-WP-TotalPages</c> and a
/// <c>Link</c> header built from the request's own query, as WordPress's collection controllers do) and
/// <c>GET /orders/{id}/refunds</c>.
/// </summary>
public sealed partial class WooCommerceEmulator
{
    private async Task ListOrdersAsync(HttpContext context, EmulatorRequest request)
    {
        var query = context.Request.Query;
        var perPage = Int(query["per_page"], 10);
        var page = Int(query["page"], 1);
        if (perPage is < 1 or > 100 || page < 1)
        {
            await ErrorAsync(context, 400, "rest_invalid_param", "Invalid parameter(s): per_page");
            return;
        }

        var gmt = string.Equals(query["dates_are_gmt"], "true", StringComparison.OrdinalIgnoreCase);
        DateTime? modifiedAfter = null;
        if (query["modified_after"] is [{ } afterText])
        {
            var after = DateTime.Parse(afterText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

            // Without dates_are_gmt the date is compared with the site-local column: as GMT it is that minus the offset.
            modifiedAfter = gmt ? after : after - SiteOffset;
        }

        var statuses = query["status"] is [{ } statusText] && statusText != "any"
            ? statusText.Split(',').ToHashSet(StringComparer.Ordinal)
            : null;
        var orderBy = (string?)query["orderby"] ?? "date";
        var ascending = string.Equals(query["order"], "asc", StringComparison.Ordinal);

        if (BeforeOrdersAnswer is { } hook)
        {
            await hook(request, context.RequestAborted);
        }

        using var buffer = new MemoryStream();
        int total;
        lock (_gate)
        {
            var all = Select(statuses, modifiedAfter, orderBy, ascending);
            total = all.Count;
            var skip = (page - 1) * perPage;
            using var json = new Utf8JsonWriter(buffer);
            json.WriteStartArray();
            for (var i = skip; i < Math.Min(total, skip + perPage); i++)
            {
                WooOrderJson.WriteOrder(json, all[i], SiteOffset, SiteUrl);
            }

            json.WriteEndArray();
        }

        SetPagingHeaders(context, page, perPage, total);
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    /// <summary>
    /// The matching orders in the requested order; called under <c>_gate</c>. The connector's own listing (modified,
    /// ascending) is served from a cached sorted view per status set, so large benchmark stores stay cheap to page.
    /// </summary>
    private IReadOnlyList<EmulatedOrder> Select(HashSet<string>? statuses, DateTime? modifiedAfter, string orderBy, bool ascending)
    {
        if (orderBy != "modified" || !ascending)
        {
            return Filtered(statuses, modifiedAfter, orderBy, ascending);
        }

        var statusKey = statuses is null ? string.Empty : string.Join(',', statuses.Order(StringComparer.Ordinal));
        if (!_modifiedAscending.TryGetValue(statusKey, out var view))
        {
            view = [.. Filtered(statuses, modifiedAfter: null, orderBy, ascending)];
            _modifiedAscending[statusKey] = view;
        }

        var first = modifiedAfter is { } after ? FirstModifiedAfter(view, after) : 0;
        return new ArraySegment<EmulatedOrder>(view, first, view.Length - first);
    }

    private void SetPagingHeaders(HttpContext context, int page, int perPage, int total)
    {
        var totalPages = (total + perPage - 1) / perPage;
        context.Response.Headers["X-WP-Total"] = total.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-WP-TotalPages"] = totalPages.ToString(CultureInfo.InvariantCulture);
        var links = new List<string>();
        if (page > 1)
        {
            links.Add($"<{PageUrl(context, page - 1)}>; rel=\"prev\"");
        }

        if (page < totalPages)
        {
            links.Add($"<{PageUrl(context, page + 1)}>; rel=\"next\"");
        }

        if (links.Count > 0)
        {
            context.Response.Headers.Link = string.Join(", ", links);
        }
    }

    /// <summary>Index of the first order modified strictly after <paramref name="after"/> in a view sorted by modified date.</summary>
    private static int FirstModifiedAfter(EmulatedOrder[] view, DateTime after)
    {
        var (low, high) = (0, view.Length);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (view[middle].ModifiedGmt > after)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>Any other listing, filtered and sorted for this request (tests only: small stores).</summary>
    private List<EmulatedOrder> Filtered(HashSet<string>? statuses, DateTime? modifiedAfter, string orderBy, bool ascending)
    {
        IEnumerable<EmulatedOrder> matching = _orders.Where(o => o.Status != "trash" || statuses?.Contains("trash") == true);
        if (statuses is not null)
        {
            matching = matching.Where(o => statuses.Contains(o.Status));
        }

        if (modifiedAfter is { } after)
        {
            matching = matching.Where(o => o.ModifiedGmt > after);
        }

        Func<EmulatedOrder, DateTime> key = orderBy switch
        {
            "modified" => o => o.ModifiedGmt,
            "id" => o => new DateTime(o.Id),
            _ => o => o.CreatedGmt,
        };
        var sorted = ascending ? matching.OrderBy(key).ThenBy(o => o.Id) : matching.OrderByDescending(key).ThenByDescending(o => o.Id);
        return sorted.ToList();
    }

    private async Task ListRefundsAsync(HttpContext context, long orderId)
    {
        using var buffer = new MemoryStream();
        lock (_gate)
        {
            var order = _byId.GetValueOrDefault(orderId);
            if (order is null)
            {
                buffer.Write("null"u8);
            }
            else
            {
                using var json = new Utf8JsonWriter(buffer);
                json.WriteStartArray();
                foreach (var refund in order.Refunds.OrderByDescending(r => r.Id))
                {
                    WooOrderJson.WriteRefund(json, refund, SiteOffset);
                }

                json.WriteEndArray();
            }
        }

        if (buffer.Length == 4)
        {
            await ErrorAsync(context, 404, "woocommerce_rest_invalid_order_id", "Invalid order ID.");
            return;
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    private string PageUrl(HttpContext context, int page)
    {
        var parameters = context.Request.Query
            .Where(p => p.Key != "page")
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value.ToString())}")
            .Append(string.Create(CultureInfo.InvariantCulture, $"page={page}"));
        return new Uri(SiteUrl, "wp-json/wc/v3/orders?" + string.Join('&', parameters)).AbsoluteUri;
    }
}
