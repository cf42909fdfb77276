using System.Text.Json;
using Affinsy.Core.Orders;

namespace Affinsy.Sink.Api;

/// <summary>
/// Writes orders as the API's JSON straight into a <see cref="Utf8JsonWriter"/>: no intermediate strings,
/// decimals written exactly as they are, dates as ISO 8601 UTC.
/// </summary>
internal static class OrderWireFormat
{
    private static readonly JsonEncodedText DatasetIdName = JsonEncodedText.Encode("dataset_id");
    private static readonly JsonEncodedText OrdersName = JsonEncodedText.Encode("orders");
    private static readonly JsonEncodedText OrderIdName = JsonEncodedText.Encode("order_id");
    private static readonly JsonEncodedText CustomerIdName = JsonEncodedText.Encode("customer_id");
    private static readonly JsonEncodedText OrderDateName = JsonEncodedText.Encode("order_date");
    private static readonly JsonEncodedText LineItemsName = JsonEncodedText.Encode("line_items");
    private static readonly JsonEncodedText ProductNameName = JsonEncodedText.Encode("product_name");
    private static readonly JsonEncodedText UnitPriceName = JsonEncodedText.Encode("unit_price");
    private static readonly JsonEncodedText QuantityName = JsonEncodedText.Encode("quantity");

    /// <summary>Flush to the stream once this much is buffered, so memory stays flat for big requests.</summary>
    private const int FlushThreshold = 32 * 1024;

    public static async Task WriteRequestAsync(
        Stream stream, string datasetId, IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteString(DatasetIdName, datasetId);
        writer.WriteStartArray(OrdersName);
        foreach (var order in orders)
        {
            WriteOrder(writer, order);
            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    public static void WriteOrder(Utf8JsonWriter writer, Order order)
    {
        writer.WriteStartObject();
        writer.WriteString(OrderIdName, order.OrderId);
        if (order.CustomerId is not null)
        {
            writer.WriteString(CustomerIdName, order.CustomerId);
        }

        if (order.OrderDate is { } date)
        {
            // A UTC DateTime is written with a "Z" suffix, the form the API documents.
            writer.WriteString(OrderDateName, date.UtcDateTime);
        }

        writer.WriteStartArray(LineItemsName);
        foreach (var line in order.LineItems)
        {
            writer.WriteStartObject();
            writer.WriteString(ProductNameName, line.ProductName);
            writer.WriteNumber(UnitPriceName, line.UnitPrice);
            writer.WriteNumber(QuantityName, line.Quantity);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>One order as JSON text, for a dead letter (a rare path, so a string is fine).</summary>
    public static string ToJson(Order order)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteOrder(writer, order);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
