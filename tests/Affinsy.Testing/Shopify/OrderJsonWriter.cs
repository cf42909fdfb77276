using System.Globalization;
using System.Text.Json;

namespace Affinsy.Testing.Shopify;

/// <summary>Writes emulated orders the way Shopify's APIs do: GraphQL nodes, bulk JSONL lines, REST documents.</summary>
internal static class OrderJsonWriter
{
    public static string Gid(string type, long id) => $"gid://shopify/{type}/{id.ToString(CultureInfo.InvariantCulture)}";

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Order fields of a GraphQL node (without lineItems), inside an open object.</summary>
    public static void GraphQLOrderFields(Utf8JsonWriter w, EmulatedOrder o)
    {
        w.WriteString("id", Gid("Order", o.Id));
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
            w.WriteString("id", Gid("Customer", customer));
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
        MoneyBag(w, "originalUnitPriceSet", l.OriginalPrice, currency);
        MoneyBag(w, "discountedUnitPriceSet", l.DiscountedPrice, currency);
    }

    private static void MoneyBag(Utf8JsonWriter w, string name, decimal amount, string currency)
    {
        w.WriteStartObject(name);
        w.WriteStartObject("shopMoney");
        w.WriteString("amount", Money(amount));
        w.WriteString("currencyCode", currency);
        w.WriteEndObject();
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
        w.WriteString("created_at", Iso(o.CreatedAt));
        w.WriteString("processed_at", Iso(o.ProcessedAt));
        w.WriteString("updated_at", Iso(o.UpdatedAt));
        if (o.CancelledAt is { } c)
        {
            w.WriteString("cancelled_at", Iso(c));
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
            w.WriteStartObject();
            w.WriteNumber("id", l.Id);
            w.WriteString("title", l.Title);
            w.WriteString("variant_title", l.VariantTitle);
            w.WriteString("sku", l.Sku);
            w.WriteNumber("quantity", l.Quantity);
            w.WriteNumber("current_quantity", l.CurrentQuantity);
            w.WriteString("price", Money(l.OriginalPrice));
            w.WriteString("total_discount", Money((l.OriginalPrice - l.DiscountedPrice) * l.Quantity));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
