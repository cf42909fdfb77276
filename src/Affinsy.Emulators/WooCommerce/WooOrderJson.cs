using System.Globalization;
using System.Text.Json;

namespace Affinsy.Emulators.WooCommerce;

/// <summary>
/// Writes orders and refunds field for field as WooCommerce REST v3 shows them. Model: the "Retrieve an order" and
/// "List all orders" JSON response examples of woocommerce.github.io/woocommerce-rest-api-docs (source
/// woocommerce/woocommerce-rest-api-docs <c>source/includes/wp-api-v3/_orders.md</c>), "Retrieve a refund"
/// (<c>_order-refunds.md</c>), and <c>WC_REST_Orders_V2_Controller::get_order_item_data</c> /
/// <c>get_formatted_item_data</c> (woocommerce/woocommerce): money as strings with two decimals, <c>price</c> a PHP
/// float (total / quantity), <c>sku</c> null when the product is gone, names as stored (entities and all), site-local
/// and GMT dates without offset, <c>customer_id</c> 0 for guests, refund summaries with a negative string total.
/// </summary>
internal static class WooOrderJson
{
    public static void WriteOrder(Utf8JsonWriter json, EmulatedOrder order, TimeSpan siteOffset, Uri site)
    {
        if (order.RawJson is { } raw)
        {
            json.WriteRawValue(raw, skipInputValidation: true);
            return;
        }

        var lines = order.Lines.Sum(l => l.Total);
        json.WriteStartObject();
        json.WriteNumber("id", order.Id);
        json.WriteNumber("parent_id", 0);
        json.WriteString("number", order.Number);
        json.WriteString("order_key", string.Create(CultureInfo.InvariantCulture, $"wc_order_{order.Id:x11}"));
        json.WriteString("created_via", "checkout");
        json.WriteString("version", "9.4.2");
        json.WriteString("status", order.Status);
        json.WriteString("currency", order.Currency);
        WriteDates(json, "date_created", order.CreatedGmt, siteOffset);
        WriteDates(json, "date_modified", order.ModifiedGmt, siteOffset);
        json.WriteString("discount_total", Money(order.Lines.Sum(l => l.Subtotal - l.Total)));
        json.WriteString("discount_tax", "0.00");
        json.WriteString("shipping_total", Money(order.Shipping));
        json.WriteString("shipping_tax", "0.00");
        json.WriteString("cart_tax", "0.00");
        json.WriteString("total", Money(lines + order.Shipping));
        json.WriteString("total_tax", "0.00");
        json.WriteBoolean("prices_include_tax", false);
        json.WriteNumber("customer_id", order.CustomerId);
        json.WriteString("customer_ip_address", string.Empty);
        json.WriteString("customer_user_agent", string.Empty);
        json.WriteString("customer_note", string.Empty);
        WriteAddress(json, "billing", order.Email);
        WriteAddress(json, "shipping", email: null);
        json.WriteString("payment_method", "bacs");
        json.WriteString("payment_method_title", "Direct Bank Transfer");
        json.WriteString("transaction_id", string.Empty);
        WriteDates(json, "date_paid", order.PaidGmt, siteOffset);
        WriteDates(json, "date_completed", order.Status == "completed" ? order.PaidGmt : null, siteOffset);
        json.WriteString("cart_hash", string.Empty);
        json.WriteStartArray("meta_data");
        json.WriteEndArray();
        json.WriteStartArray("line_items");
        foreach (var line in order.Lines)
        {
            WriteLine(json, line);
        }

        json.WriteEndArray();
        json.WriteStartArray("tax_lines");
        json.WriteEndArray();
        WriteShippingLines(json, order);
        json.WriteStartArray("fee_lines");
        json.WriteEndArray();
        json.WriteStartArray("coupon_lines");
        json.WriteEndArray();
        WriteRefundSummaries(json, order);
        WriteLinks(json, site, string.Create(CultureInfo.InvariantCulture, $"orders/{order.Id}"), "orders");
        json.WriteEndObject();
    }

    private static void WriteShippingLines(Utf8JsonWriter json, EmulatedOrder order)
    {
        json.WriteStartArray("shipping_lines");
        if (order.Shipping > 0)
        {
            json.WriteStartObject();
            json.WriteNumber("id", order.Id * 10);
            json.WriteString("method_title", "Flat Rate");
            json.WriteString("method_id", "flat_rate");
            json.WriteString("total", Money(order.Shipping));
            json.WriteString("total_tax", "0.00");
            json.WriteStartArray("taxes");
            json.WriteEndArray();
            json.WriteStartArray("meta_data");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteRefundSummaries(Utf8JsonWriter json, EmulatedOrder order)
    {
        json.WriteStartArray("refunds");
        foreach (var refund in order.Refunds)
        {
            json.WriteStartObject();
            json.WriteNumber("id", refund.Id);
            json.WriteString("reason", refund.Reason);
            json.WriteString("total", "-" + Money(refund.Amount));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteLine(Utf8JsonWriter json, EmulatedLine line)
    {
        json.WriteStartObject();
        json.WriteNumber("id", line.Id);
        json.WriteString("name", line.StoredName ?? line.Name);
        json.WriteNumber("product_id", line.ProductId);
        json.WriteNumber("variation_id", line.VariationId);
        json.WriteNumber("quantity", line.Quantity);
        json.WriteString("tax_class", string.Empty);
        json.WriteString("subtotal", Money(line.Subtotal));
        json.WriteString("subtotal_tax", "0.00");
        json.WriteString("total", Money(line.Total));
        json.WriteString("total_tax", "0.00");
        json.WriteStartArray("taxes");
        json.WriteEndArray();
        json.WriteStartArray("meta_data");
        json.WriteEndArray();
        if (line.Sku is { } sku)
        {
            json.WriteString("sku", sku);
        }
        else
        {
            json.WriteNull("sku");
        }

        // get_order_item_data: total / quantity as a PHP float; a reader must not rely on it.
        json.WriteNumber("price", line.Quantity == 0 ? 0 : (double)(line.Total / line.Quantity));
        json.WriteEndObject();
    }

    public static void WriteRefund(Utf8JsonWriter json, EmulatedRefund refund, TimeSpan siteOffset)
    {
        json.WriteStartObject();
        json.WriteNumber("id", refund.Id);
        WriteDates(json, "date_created", refund.CreatedGmt, siteOffset);
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
            json.WriteString("tax_class", string.Empty);
            json.WriteString("subtotal", Money(line.Total));
            json.WriteString("subtotal_tax", "0.00");
            json.WriteString("total", Money(line.Total));
            json.WriteString("total_tax", "0.00");
            json.WriteStartArray("taxes");
            json.WriteEndArray();
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
            json.WriteNumber("price", line.Quantity == 0 ? 0 : (double)(line.Total / line.Quantity));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string Gmt(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static void WriteDates(Utf8JsonWriter json, string name, DateTime? gmt, TimeSpan siteOffset)
    {
        if (gmt is { } value)
        {
            json.WriteString(name, Gmt(value + siteOffset));
            json.WriteString(name + "_gmt", Gmt(value));
        }
        else
        {
            json.WriteNull(name);
            json.WriteNull(name + "_gmt");
        }
    }

    private static void WriteAddress(Utf8JsonWriter json, string name, string? email)
    {
        json.WriteStartObject(name);
        json.WriteString("first_name", "John");
        json.WriteString("last_name", "Doe");
        json.WriteString("company", string.Empty);
        json.WriteString("address_1", "969 Market");
        json.WriteString("address_2", string.Empty);
        json.WriteString("city", "San Francisco");
        json.WriteString("state", "CA");
        json.WriteString("postcode", "94103");
        json.WriteString("country", "US");
        if (email is not null)
        {
            json.WriteString("email", email);
            json.WriteString("phone", "(555) 555-5555");
        }

        json.WriteEndObject();
    }

    private static void WriteLinks(Utf8JsonWriter json, Uri site, string self, string collection)
    {
        json.WriteStartObject("_links");
        json.WriteStartArray("self");
        json.WriteStartObject();
        json.WriteString("href", new Uri(site, "wp-json/wc/v3/" + self).AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("collection");
        json.WriteStartObject();
        json.WriteString("href", new Uri(site, "wp-json/wc/v3/" + collection).AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
