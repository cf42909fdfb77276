using System.Text.Json;
using Affinsy.Reference.Storage;

namespace Affinsy.Reference.Http;

/// <summary>
/// Parses and validates <c>POST /data/orders</c> in one pass over the body with a Utf8JsonReader:
/// every problem gets its path, line items are counted for the 413 limit, and rows repeated within
/// the request keep the last one (the contract's rule) so the store sees each key once.
/// </summary>
internal static partial class IngestRequestParser
{
    /// <summary>Details beyond this many are summarized; a client needs the first ones to fix its code.</summary>
    private const int MaxDetails = 100;

    public static IngestParse Parse(ReadOnlySpan<byte> body)
    {
        var state = new State(ExpectedRows(body.Length));
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return IngestParse.Malformed("The request body must be a JSON object: {\"dataset_id\": ..., \"orders\": [...]}.");
            }

            ReadRoot(ref reader, state);
            if (reader.Read())
            {
                return IngestParse.Malformed("Unexpected content after the JSON object.");
            }
        }
        catch (JsonException e)
        {
            return IngestParse.Malformed($"Malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine}: fix the request body.");
        }

        return new IngestParse(state.DatasetId, state.Rows(), state.Orders, state.LineItems, state.Details, null);
    }

    /// <summary>
    /// Rows to make room for up front: a line item takes at least ~48 bytes of JSON, so this is never far below the
    /// real count; growing the row list and the key index by doubling would allocate (on the large object heap) about
    /// as much again as they finally hold, for every request.
    /// </summary>
    private static int ExpectedRows(int bodyBytes) => Math.Min(bodyBytes / 48, 16_384);

    private static void ReadRoot(ref Utf8JsonReader reader, State state)
    {
        bool sawDataset = false, sawOrders = false;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueIsEscaped && InvalidName(ref reader, state, ""))
            {
                continue;
            }

            if (reader.ValueTextEquals("dataset_id"u8))
            {
                Once(ref sawDataset, state, "dataset_id");
                Next(ref reader);
                var id = reader.TokenType == JsonTokenType.String ? Text(ref reader, state, "dataset_id") : null;
                if (id is null || !Validation.IsDatasetId(id))
                {
                    state.AddUnlessInvalidText("dataset_id", "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
                }
                else
                {
                    state.DatasetId = id;
                }
            }
            else if (reader.ValueTextEquals("orders"u8))
            {
                Once(ref sawOrders, state, "orders");
                Next(ref reader);
                ReadOrders(ref reader, state);
            }
            else
            {
                UnknownField(ref reader, state, "");
                Next(ref reader);
                reader.Skip();
            }
        }

        if (!sawDataset)
        {
            state.Add("dataset_id", "is required");
        }

        if (!sawOrders)
        {
            state.Add("orders", "is required");
        }
    }

    private static void ReadOrders(ref Utf8JsonReader reader, State state)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            state.Add("orders", "must be an array of orders");
            reader.Skip();
            return;
        }

        var index = 0;
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            ReadOrder(ref reader, state, index++);
        }

        if (index == 0)
        {
            state.Add("orders", "must contain at least one order");
        }
    }

    private static void ReadOrder(ref Utf8JsonReader reader, State state, int index)
    {
        state.Orders++;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            state.Add($"orders[{index}]", "must be an object");
            reader.Skip();
            return;
        }

        string? orderId = null, customerId = null;
        long? orderDate = null;
        bool sawId = false, sawLines = false, sawCustomer = false, sawDate = false;
        var firstLine = state.PendingLines.Count;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueIsEscaped && InvalidName(ref reader, state, $"orders[{index}]"))
            {
                continue;
            }

            if (reader.ValueTextEquals("order_id"u8))
            {
                Once(ref sawId, state, $"orders[{index}].order_id");
                Next(ref reader);
                orderId = ReadText(ref reader, state, index, "order_id", 256, nullable: false);
            }
            else if (reader.ValueTextEquals("customer_id"u8))
            {
                Once(ref sawCustomer, state, $"orders[{index}].customer_id");
                Next(ref reader);
                customerId = ReadText(ref reader, state, index, "customer_id", 256, nullable: true);
            }
            else if (reader.ValueTextEquals("order_date"u8))
            {
                Once(ref sawDate, state, $"orders[{index}].order_date");
                Next(ref reader);
                orderDate = ReadDate(ref reader, state, index);
            }
            else if (reader.ValueTextEquals("line_items"u8))
            {
                Once(ref sawLines, state, $"orders[{index}].line_items");
                Next(ref reader);
                ReadLines(ref reader, state, index);
            }
            else
            {
                UnknownField(ref reader, state, $"orders[{index}]");
                Next(ref reader);
                reader.Skip();
            }
        }

        if (!sawId)
        {
            state.Add($"orders[{index}].order_id", "is required");
        }

        if (!sawLines)
        {
            state.Add($"orders[{index}].line_items", "is required");
        }

        // Lines are read before the order's other fields may be known: complete them now.
        if (orderId is not null)
        {
            for (var i = firstLine; i < state.PendingLines.Count; i++)
            {
                var line = state.PendingLines[i];
                state.Put(new IngestRow(orderId, customerId, orderDate, line.ProductName, line.UnitPrice, line.Quantity));
            }
        }

        state.PendingLines.RemoveRange(firstLine, state.PendingLines.Count - firstLine);
    }

    private static void ReadLines(ref Utf8JsonReader reader, State state, int order)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            state.Add($"orders[{order}].line_items", "must be an array of line items");
            reader.Skip();
            return;
        }

        var index = 0;
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            state.LineItems++;
            // The path is only spelled out when a problem is reported: most line items have none.
            var path = new LinePath(order, index++);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                state.Add(path.ToString(), "must be an object");
                reader.Skip();
                continue;
            }

            string? name = null;
            double? price = null, quantity = null;
            bool sawName = false, sawPrice = false, sawQuantity = false;
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                if (reader.ValueIsEscaped && InvalidName(ref reader, state, path.ToString()))
                {
                    continue;
                }

                if (reader.ValueTextEquals("product_name"u8))
                {
                    Once(ref sawName, state, path.Field("product_name"));
                    Next(ref reader);
                    name = reader.TokenType == JsonTokenType.String ? Text(ref reader, state, path.Field("product_name")) : null;
                    if (name is null || name.Length is 0 or > 512)
                    {
                        state.AddUnlessInvalidText(path.Field("product_name"), "must be a string of 1-512 characters");
                        name = null;
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("unit_price"u8))
                {
                    Once(ref sawPrice, state, path.Field("unit_price"));
                    Next(ref reader);
                    price = ReadNumber(ref reader, state, path, "unit_price", strictlyPositive: false);
                }
                else if (reader.ValueTextEquals("quantity"u8))
                {
                    Once(ref sawQuantity, state, path.Field("quantity"));
                    Next(ref reader);
                    quantity = ReadNumber(ref reader, state, path, "quantity", strictlyPositive: true);
                }
                else
                {
                    UnknownField(ref reader, state, path.ToString());
                    Next(ref reader);
                    reader.Skip();
                }
            }

            if (!sawName)
            {
                state.Add(path.Field("product_name"), "is required");
            }

            if (!sawPrice)
            {
                state.Add(path.Field("unit_price"), "is required");
            }

            if (!sawQuantity)
            {
                state.Add(path.Field("quantity"), "is required");
            }

            if (name is not null && price is { } p && quantity is { } q && AmountProblem(p, q) is { } amount)
            {
                state.Add(path.Field(amount.Field), amount.Message);
            }
            else if (name is not null && price is { } p2 && quantity is { } q2)
            {
                state.PendingLines.Add(new PendingLine(name, p2, q2));
            }
        }

        if (index == 0)
        {
            state.Add($"orders[{order}].line_items", "must contain at least one line item");
        }
    }
}
