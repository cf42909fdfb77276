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
        var buffers = RowBuffers.Rent(ExpectedRows(body.Length));
        var parse = Parse(body, new State(buffers));
        if (parse.MalformedMessage is not null)
        {
            buffers.Return();
            return parse;
        }

        return parse with { Buffers = buffers };
    }

    private static IngestParse Parse(ReadOnlySpan<byte> body, State state)
    {
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

        var order = default(OrderFields);
        var firstLine = state.PendingLines.Count;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueIsEscaped && InvalidName(ref reader, state, $"orders[{index}]"))
            {
                continue;
            }

            if (reader.ValueTextEquals("order_id"u8))
            {
                Once(ref order.SawId, state, ProblemPath.InOrder(index, "order_id"));
                Next(ref reader);
                order.Id = ReadText(ref reader, state, index, "order_id", 256, nullable: false);
            }
            else if (reader.ValueTextEquals("customer_id"u8))
            {
                Once(ref order.SawCustomer, state, ProblemPath.InOrder(index, "customer_id"));
                Next(ref reader);
                order.CustomerId = ReadText(ref reader, state, index, "customer_id", 256, nullable: true);
            }
            else if (reader.ValueTextEquals("order_date"u8))
            {
                Once(ref order.SawDate, state, ProblemPath.InOrder(index, "order_date"));
                Next(ref reader);
                order.Date = ReadDate(ref reader, state, index);
            }
            else if (reader.ValueTextEquals("line_items"u8))
            {
                Once(ref order.SawLines, state, ProblemPath.InOrder(index, "line_items"));
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

        Complete(in order, state, index, firstLine);
    }

    /// <summary>A missing field is reported; the order's pending lines become rows once its id is known.</summary>
    private static void Complete(in OrderFields order, State state, int index, int firstLine)
    {
        if (!order.SawId)
        {
            state.Add($"orders[{index}].order_id", "is required");
        }

        if (!order.SawLines)
        {
            state.Add($"orders[{index}].line_items", "is required");
        }

        // Lines are read before the order's other fields may be known: complete them now.
        if (order.Id is { } orderId)
        {
            for (var i = firstLine; i < state.PendingLines.Count; i++)
            {
                var line = state.PendingLines[i];
                state.Put(new IngestRow(orderId, order.CustomerId, order.Date, line.ProductName, line.UnitPrice, line.Quantity));
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
            ReadLine(ref reader, state, new LinePath(order, index++));
        }

        if (index == 0)
        {
            state.Add($"orders[{order}].line_items", "must contain at least one line item");
        }
    }

    /// <summary>One line item: kept pending (its order's fields may come later) or reported with its path.</summary>
    private static void ReadLine(ref Utf8JsonReader reader, State state, LinePath path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            state.Add(path.ToString(), "must be an object");
            reader.Skip();
            return;
        }

        var line = default(LineFields);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueIsEscaped && InvalidName(ref reader, state, path.ToString()))
            {
                continue;
            }

            if (reader.ValueTextEquals("product_name"u8))
            {
                Once(ref line.SawName, state, path.At("product_name"));
                Next(ref reader);
                line.Name = ReadProductName(ref reader, state, path);
            }
            else if (reader.ValueTextEquals("unit_price"u8))
            {
                Once(ref line.SawPrice, state, path.At("unit_price"));
                Next(ref reader);
                line.Price = ReadNumber(ref reader, state, path, "unit_price", strictlyPositive: false);
            }
            else if (reader.ValueTextEquals("quantity"u8))
            {
                Once(ref line.SawQuantity, state, path.At("quantity"));
                Next(ref reader);
                line.Quantity = ReadNumber(ref reader, state, path, "quantity", strictlyPositive: true);
            }
            else
            {
                UnknownField(ref reader, state, path.ToString());
                Next(ref reader);
                reader.Skip();
            }
        }

        Complete(in line, state, path);
    }

    private static string? ReadProductName(ref Utf8JsonReader reader, State state, LinePath path)
    {
        var name = reader.TokenType == JsonTokenType.String ? Text(ref reader, state, path.At("product_name"), intern: true) : null;
        if (name is null || name.Length is 0 or > 512)
        {
            state.AddUnlessInvalidText(path.Field("product_name"), "must be a string of 1-512 characters");
            reader.Skip();
            return null;
        }

        return name;
    }

    /// <summary>A missing field is reported; a line whose three fields are valid is kept unless its amount is out of range.</summary>
    private static void Complete(in LineFields line, State state, LinePath path)
    {
        if (!line.SawName)
        {
            state.Add(path.Field("product_name"), "is required");
        }

        if (!line.SawPrice)
        {
            state.Add(path.Field("unit_price"), "is required");
        }

        if (!line.SawQuantity)
        {
            state.Add(path.Field("quantity"), "is required");
        }

        if (line.Name is not { } name || line.Price is not { } price || line.Quantity is not { } quantity)
        {
            return;
        }

        if (AmountProblem(price, quantity) is { } amount)
        {
            state.Add(path.Field(amount.Field), amount.Message);
        }
        else
        {
            state.PendingLines.Add(new PendingLine(name, price, quantity));
        }
    }

    /// <summary>An order's own fields as read so far (its lines wait in <c>State.PendingLines</c>).</summary>
    private struct OrderFields
    {
        public string? Id;
        public string? CustomerId;
        public long? Date;
        public bool SawId;
        public bool SawCustomer;
        public bool SawDate;
        public bool SawLines;
    }

    /// <summary>A line item's fields as read so far (a stack value: most line items are read without a problem).</summary>
    private struct LineFields
    {
        public string? Name;
        public double? Price;
        public double? Quantity;
        public bool SawName;
        public bool SawPrice;
        public bool SawQuantity;
    }
}
