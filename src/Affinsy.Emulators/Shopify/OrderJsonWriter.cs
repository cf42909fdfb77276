using System.Globalization;
using System.Text.Json;

namespace Affinsy.Emulators.Shopify;

/// <summary>
/// Writes emulated orders the way Shopify's documented examples show them. GraphQL (shopify.dev GraphQL Admin "Order" and
/// "LineItem" objects, "MoneyV2": amount is a Decimal scalar printed as a string such as "199.0"; DateTime in UTC "Z").
/// REST (shopify.dev REST Admin "Order" resource examples: money as strings "199.00", numeric ids, dates with offsets like
/// "2008-01-10T11:00:00-05:00", <c>discount_allocations[].amount</c>, <c>customer: null</c> for guests). Bulk JSONL lines
/// (shopify.dev "Perform bulk operations with the GraphQL Admin API": slashes in gids escaped, "gid:\/\/shopify\/Order\/1").
/// </summary>
internal static class OrderJsonWriter
{
    public static string Gid(string type, long id) => $"gid://shopify/{type}/{id.ToString(CultureInfo.InvariantCulture)}";

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>REST dates carry the shop's offset (the documented examples use -05:00).</summary>
    public static string RestIso(DateTimeOffset value) =>
        value.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>MoneyV2 prints the shortest decimal with at least one fraction digit: "199.0", "181.09".</summary>
    public static string GqlMoney(decimal value) => value.ToString("0.0##########", CultureInfo.InvariantCulture);

    /// <summary>A gid, with its slashes escaped as bulk result files print them when <paramref name="escaped"/>.</summary>
    public static void WriteGid(Utf8JsonWriter w, string name, string type, long id, bool escaped)
    {
        if (!escaped)
        {
            w.WriteString(name, Gid(type, id));
            return;
        }

        w.WritePropertyName(name);
        w.WriteRawValue($"\"{Gid(type, id).Replace("/", "\\/", StringComparison.Ordinal)}\"");
    }

    /// <summary>Order fields of a GraphQL node (without lineItems), inside an open object.</summary>
    public static void GraphQLOrderFields(Utf8JsonWriter w, EmulatedOrder o, bool escapedGids = false)
    {
        WriteGid(w, "id", "Order", o.Id, escapedGids);
        w.WriteString("name", o.Name);
        w.WriteString("createdAt", Iso(o.CreatedAt));
        w.WriteString("processedAt", Iso(o.ProcessedAt));
        w.WriteString("updatedAt", Iso(o.UpdatedAt));
        if (o.CancelledAt is { } c)
        {
            w.WriteString("cancelledAt", Iso(c));
        }
        else
        {
            w.WriteNull("cancelledAt");
        }

        w.WriteBoolean("test", o.Test);
        w.WriteString("currencyCode", o.Currency);
        if (o.Email is null)
        {
            w.WriteNull("email");
        }
        else
        {
            w.WriteString("email", o.Email);
        }

        if (o.CustomerId is { } customer)
        {
            w.WriteStartObject("customer");
            WriteGid(w, "id", "Customer", customer, escapedGids);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("customer");
        }
    }

    public static void GraphQLLineFields(Utf8JsonWriter w, EmulatedLine l, string currency)
    {
        w.WriteString("title", l.Title);
        if (l.VariantTitle is null)
        {
            w.WriteNull("variantTitle");
        }
        else
        {
            w.WriteString("variantTitle", l.VariantTitle);
        }

        if (l.Sku is null)
        {
            w.WriteNull("sku");
        }
        else
        {
            w.WriteString("sku", l.Sku);
        }

        w.WriteNumber("quantity", l.Quantity);
        w.WriteNumber("currentQuantity", l.CurrentQuantity);
        MoneyBag(w, "originalUnitPriceSet", l.RawPrice ?? GqlMoney(l.OriginalPrice), currency);
        MoneyBag(w, "discountedUnitPriceSet", GqlMoney(l.DiscountedPrice), currency);

        // Every discount application's share of the line: line-level and order-level (the latter is not in discountedUnitPriceSet).
        w.WriteStartArray("discountAllocations");
        foreach (var amount in new[] { l.LineDiscount, l.OrderDiscount }.Where(a => a > 0))
        {
            w.WriteStartObject();
            MoneyBag(w, "allocatedAmountSet", GqlMoney(amount), currency);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void MoneyBag(Utf8JsonWriter w, string name, string amount, string currency)
    {
        w.WriteStartObject(name);
        foreach (var bag in new[] { "shopMoney", "presentmentMoney" })
        {
            w.WriteStartObject(bag);
            w.WriteString("amount", amount);
            w.WriteString("currencyCode", currency);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    public static void GraphQLNode(Utf8JsonWriter w, EmulatedOrder o, int maxLines)
    {
        w.WriteStartObject();
        GraphQLOrderFields(w, o);
        w.WriteStartObject("lineItems");
        w.WriteStartObject("pageInfo");
        w.WriteBoolean("hasNextPage", o.Lines.Count > maxLines);
        w.WriteNull("endCursor");
        w.WriteEndObject();
        w.WriteStartArray("edges");
        foreach (var line in o.Lines.Take(maxLines))
        {
            w.WriteStartObject();
            w.WriteStartObject("node");
            GraphQLLineFields(w, line, o.Currency);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void RestOrder(Utf8JsonWriter w, EmulatedOrder o)
    {
        w.WriteStartObject();
        w.WriteNumber("id", o.Id);
        w.WriteString("admin_graphql_api_id", Gid("Order", o.Id));
        w.WriteString("name", o.Name);
        w.WriteString("created_at", RestIso(o.CreatedAt));
        w.WriteString("processed_at", RestIso(o.ProcessedAt));
        w.WriteString("updated_at", RestIso(o.UpdatedAt));
        if (o.CancelledAt is { } c)
        {
            w.WriteString("cancelled_at", RestIso(c));
        }
        else
        {
            w.WriteNull("cancelled_at");
        }

        w.WriteBoolean("test", o.Test);
        w.WriteString("currency", o.Currency);
        if (o.Email is null)
        {
            w.WriteNull("email");
        }
        else
        {
            w.WriteString("email", o.Email);
        }

        if (o.CustomerId is { } customer)
        {
            w.WriteStartObject("customer");
            w.WriteNumber("id", customer);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("customer");
        }

        w.WriteStartArray("line_items");
        foreach (var l in o.Lines)
        {
            RestLine(w, l);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void RestLine(Utf8JsonWriter w, EmulatedLine l)
    {
        w.WriteStartObject();
        w.WriteNumber("id", l.Id);
        w.WriteString("title", l.Title);
        w.WriteString("variant_title", l.VariantTitle);
        w.WriteString("sku", l.Sku);
        w.WriteNumber("quantity", l.Quantity);
        w.WriteNumber("current_quantity", l.CurrentQuantity);
        w.WriteString("price", l.RawPrice ?? Money(l.OriginalPrice));
        w.WriteString("total_discount", Money(l.LineDiscount));
        w.WriteStartArray("discount_allocations");
        var index = 0;
        foreach (var amount in new[] { l.LineDiscount, l.OrderDiscount })
        {
            if (amount > 0)
            {
                w.WriteStartObject();
                w.WriteString("amount", Money(amount));
                w.WriteNumber("discount_application_index", index);
                w.WriteEndObject();
            }

            index++;
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
