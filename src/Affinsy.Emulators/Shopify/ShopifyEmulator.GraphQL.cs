using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Affinsy.Emulators.Shopify;

/// <summary>The GraphQL Admin API: orders pages by updatedAt with cursors, cost-based throttling (shopify.dev "GraphQL Admin API rate limits").</summary>
public sealed partial class ShopifyEmulator
{
    private async Task GraphQLAsync(HttpContext context, string version)
    {
        lock (gate)
        {
            GraphQLRequests++;
        }

        if (await RejectAsync(context, version).ConfigureAwait(false))
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var query = request.RootElement.GetProperty("query").GetString() ?? string.Empty;
        var variables = request.RootElement.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            lock (gate)
            {
                Answer(w, query, variables, (string)context.Items["served"]!);
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private void Answer(Utf8JsonWriter w, string query, JsonElement variables, string served)
    {
        var isOrders = query.Contains("orders(first:", StringComparison.Ordinal) && query.Contains("sortKey: UPDATED_AT", StringComparison.Ordinal);
        var first = isOrders ? Variable(variables, "first") is { } f ? int.Parse(f, CultureInfo.InvariantCulture) : 50 : 0;
        double requested = isOrders ? 2 + (first * OrdersQueryCostPerOrder) : query.Contains("bulkOperationRunQuery", StringComparison.Ordinal) ? 10 : 1;
        w.WriteStartObject();
        var injected = throttleFaults > 0;
        if (injected || (options.Throttle && !points.TryTake(requested)))
        {
            WriteThrottled(w, requested, injected);
            return;
        }

        var deniedField = isOrders ? "orders" : query.Contains("bulkOperationRunQuery", StringComparison.Ordinal) ? "bulkOperationRunQuery" : null;
        if (deniedField is not null && !MayReadOrders)
        {
            WriteAccessDenied(w, deniedField);
            if (options.Throttle)
            {
                points.Give(requested - 1);
            }

            Cost(w, requested, 1);
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("data");
        var actual = isOrders
            ? WriteOrdersPage(w, first, Variable(variables, "after"), Variable(variables, "query"))
            : WriteOtherData(w, query, variables, served, requested);
        w.WriteEndObject();
        if (options.Throttle)
        {
            points.Give(requested - actual);
        }

        PointsSpent += actual;
        Cost(w, requested, actual);
        w.WriteEndObject();
    }

    /// <summary>shopify.dev "GraphQL Admin API rate limits": a throttled query answers a THROTTLED error and a null actual cost.</summary>
    private void WriteThrottled(Utf8JsonWriter w, double requested, bool injected)
    {
        if (injected)
        {
            throttleFaults--;
        }
        else
        {
            ThrottleViolations++;
        }

        w.WriteStartArray("errors");
        w.WriteStartObject();
        w.WriteString("message", "Throttled");
        w.WriteStartObject("extensions");
        w.WriteString("code", "THROTTLED");
        w.WriteString("documentation", "https://shopify.dev/api/usage/rate-limits");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        Cost(w, requested, null);
        w.WriteEndObject();
    }

    /// <summary>Answers the queries other than the orders page inside <c>data</c>; they cost what was requested.</summary>
    private double WriteOtherData(Utf8JsonWriter w, string query, JsonElement variables, string served, double requested)
    {
        if (query.Contains("bulkOperationRunQuery", StringComparison.Ordinal))
        {
            RunBulk(w, Variable(variables, "bulkQuery") ?? query, Variable(variables, "groupObjects"), served);
        }
        else if (query.Contains("currentBulkOperation", StringComparison.Ordinal))
        {
            w.WritePropertyName("currentBulkOperation");
            WriteOperation(w, bulkOperations.Count == 0 ? null : bulkOperations[^1]);
        }
        else if (query.Contains("node(id: $id)", StringComparison.Ordinal) && Variable(variables, "id") is { } id)
        {
            w.WritePropertyName("node");
            WriteOperation(w, bulkOperations.Find(o => o.Id == id));
        }
        else if (query.Contains("currentAppInstallation", StringComparison.Ordinal) || query.Contains("shop {", StringComparison.Ordinal))
        {
            WriteShopAndInstallation(w, query);
        }
        else
        {
            throw new InvalidOperationException("The Shopify emulator does not understand this query: " + query);
        }

        return requested;
    }

    private void Cost(Utf8JsonWriter w, double requested, double? actual)
    {
        w.WriteStartObject("extensions");
        w.WriteStartObject("cost");
        w.WriteNumber("requestedQueryCost", requested);
        if (actual is { } a)
        {
            w.WriteNumber("actualQueryCost", a);
        }
        else
        {
            w.WriteNull("actualQueryCost");
        }

        w.WriteStartObject("throttleStatus");
        w.WriteNumber("maximumAvailable", options.Throttle ? points.Size : 1e9);
        w.WriteNumber("currentlyAvailable", options.Throttle ? Math.Floor(points.Available) : 1e9);
        w.WriteNumber("restoreRate", options.Throttle ? points.RestorePerSecond : 1e9);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private double WriteOrdersPage(Utf8JsonWriter w, int first, string? after, string? filter)
    {
        orderFilters.Add(filter ?? "(none)");
        var since = filter is null ? DateTimeOffset.MinValue : ParseUpdatedAtFilter(filter);
        var all = Sorted();
        var start = 0;
        if (after is not null)
        {
            var (ticks, id) = DecodeCursor(after);
            start = Array.FindIndex(all, o => o.UpdatedAt.UtcTicks > ticks || (o.UpdatedAt.UtcTicks == ticks && o.Id > id));
            start = start < 0 ? all.Length : start;
        }

        var page = all.Skip(start).Where(o => o.UpdatedAt >= since).Take(first + 1).ToList();
        var hasNext = page.Count > first;
        if (hasNext)
        {
            page.RemoveAt(page.Count - 1);
        }

        w.WriteStartObject("orders");
        w.WriteStartObject("pageInfo");
        w.WriteBoolean("hasNextPage", hasNext);
        if (page.Count > 0)
        {
            w.WriteString("endCursor", EncodeCursor(page[^1]));
        }
        else
        {
            w.WriteNull("endCursor");
        }

        w.WriteEndObject();
        w.WriteStartArray("edges");
        foreach (var order in page)
        {
            w.WriteStartObject();
            w.WritePropertyName("node");
            OrderJsonWriter.GraphQLNode(w, order, options.MaxLineItemsPerPageOrder);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        return 2 + (page.Count * OrdersQueryCostPerOrder);
    }

    private static DateTimeOffset ParseUpdatedAtFilter(string filter)
    {
        const string prefix = "updated_at:>='";
        if (!filter.StartsWith(prefix, StringComparison.Ordinal) || !filter.EndsWith('\''))
        {
            throw new InvalidOperationException("The Shopify emulator only understands updated_at:>='ISO' filters, got: " + filter);
        }

        return DateTimeOffset.Parse(filter[prefix.Length..^1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static string EncodeCursor(EmulatedOrder o) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{o.UpdatedAt.UtcTicks}:{o.Id}")));

    private static (long Ticks, long Id) DecodeCursor(string cursor)
    {
        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string? Variable(JsonElement variables, string name) =>
        variables.ValueKind == JsonValueKind.Object && variables.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? value.GetRawText() : value.GetString()
            : null;
}
