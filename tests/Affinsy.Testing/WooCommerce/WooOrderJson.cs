using System.Globalization;
using System.Text.Json;

namespace Affinsy.Testing.WooCommerce;

/// <summary>Writes orders and refunds the way WooCommerce REST v3 shows them (money as strings, GMT dates without offset).</summary>
internal static class WooOrderJson
{
    // The site's local time is two hours ahead, so a reader that takes date_created instead of date_created_gmt is caught.
    private static readonly TimeSpan SiteOffset = TimeSpan.FromHours(2);

    public static void WriteOrder(Utf8JsonWriter json, EmulatedOrder order)
    {
        json.WriteStartObject();
        json.WriteNumber("id", order.Id);
        json.WriteNumber("parent_id", 0);
        json.WriteString("number", order.Number);
        json.WriteString("order_key", string.Create(CultureInfo.InvariantCulture, $"wc_order_{order.Id:x8}"));
        json.WriteString("created_via", "checkout");
        json.WriteString("version", "9.4.2");
        json.WriteString("status", order.Status);
        json.WriteString("currency", order.Currency);
        WriteDates(json, "date_created", order.CreatedGmt);
        WriteDates(json, "date_modified", order.ModifiedGmt);
        WriteDates(json, "date_paid", order.PaidGmt);
        json.WriteString("total", Money(order.Lines.Sum(l => l.Total)));
        json.WriteNumber("customer_id", order.CustomerId);
        json.WriteStartObject("billing");
        json.WriteString("first_name", "Sam");
        json.WriteString("email", order.Email);
        json.WriteEndObject();
        json.WriteStartArray("line_items");
        foreach (var line in order.Lines)
        {
            json.WriteStartObject();
            json.WriteNumber("id", line.Id);
            json.WriteString("name", line.Name);
            json.WriteNumber("product_id", line.ProductId);
            json.WriteNumber("variation_id", line.VariationId);
            json.WriteNumber("quantity", line.Quantity);
            json.WriteString("tax_class", string.Empty);
            json.WriteString("subtotal", Money(line.Subtotal));
            json.WriteString("total", Money(line.Total));
            json.WriteString("total_tax", "0.00");
            json.WriteStartArray("meta_data");
            json.WriteEndArray();
            json.WriteString("sku", line.Sku);

            // WooCommerce sends price as a float computed by PHP; the connector must not rely on it.
            json.WriteNumber("price", (double)(line.Total / line.Quantity));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("refunds");
        foreach (var refund in order.Refunds)
        {
            json.WriteStartObject();
            json.WriteNumber("id", refund.Id);
            json.WriteString("reason", refund.Reason);
            json.WriteString("total", Money(-refund.Amount));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteRefund(Utf8JsonWriter json, EmulatedRefund refund)
    {
        json.WriteStartObject();
        json.WriteNumber("id", refund.Id);
        WriteDates(json, "date_created", refund.CreatedGmt);
        json.WriteString("amount", Money(refund.Amount));
        json.WriteString("reason", refund.Reason);
        json.WriteNumber("refunded_by", 1);
        json.WriteBoolean("refunded_payment", false);
        json.WriteStartArray("meta_data");
        json.WriteEndArray();
        json.WriteStartArray("line_items");
        foreach (var line in refund.Lines)
        {
            json.WriteStartObject();
            json.WriteNumber("id", line.Id);
            json.WriteString("name", line.Name);
            json.WriteNumber("product_id", line.ProductId);
            json.WriteNumber("variation_id", line.VariationId);
            json.WriteNumber("quantity", line.Quantity);
            json.WriteString("subtotal", Money(line.Total));
            json.WriteString("total", Money(line.Total));
            json.WriteStartArray("meta_data");
            if (refund.WithItemReference)
            {
                json.WriteStartObject();
                json.WriteNumber("id", line.Id + 1);
                json.WriteString("key", "_refunded_item_id");
                json.WriteString("value", line.RefundedItemId.ToString(CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string Gmt(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static void WriteDates(Utf8JsonWriter json, string name, DateTime? gmt)
    {
        if (gmt is { } value)
        {
            json.WriteString(name, Gmt(value + SiteOffset));
            json.WriteString(name + "_gmt", Gmt(value));
        }
        else
        {
            json.WriteNull(name);
            json.WriteNull(name + "_gmt");
        }
    }

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
