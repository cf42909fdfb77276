using System.Globalization;
using System.Text.Json;
using Affinsy.Reference.Storage;

namespace Affinsy.Reference.Http;

/// <summary>
/// Parses and validates <c>POST /data/orders</c> in one pass over the body with a Utf8JsonReader:
/// every problem gets its path, line items are counted for the 413 limit, and rows repeated within
/// the request keep the last one (the contract's rule) so the store sees each key once.
/// </summary>
internal static class IngestRequestParser
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
            if (reader.ValueTextEquals("dataset_id"u8))
            {
                sawDataset = true;
                Next(ref reader);
                var id = reader.TokenType == JsonTokenType.String ? reader.GetString()! : null;
                if (id is null || !Validation.IsDatasetId(id))
                {
                    state.Add("dataset_id", "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
                }
                else
                {
                    state.DatasetId = id;
                }
            }
            else if (reader.ValueTextEquals("orders"u8))
            {
                sawOrders = true;
                Next(ref reader);
                ReadOrders(ref reader, state);
            }
            else
            {
                state.Add(reader.GetString()!, "unknown field");
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
        bool sawId = false, sawLines = false;
        var firstLine = state.PendingLines.Count;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("order_id"u8))
            {
                sawId = true;
                Next(ref reader);
                orderId = ReadText(ref reader, state, index, "order_id", 256, nullable: false);
            }
            else if (reader.ValueTextEquals("customer_id"u8))
            {
                Next(ref reader);
                customerId = ReadText(ref reader, state, index, "customer_id", 256, nullable: true);
            }
            else if (reader.ValueTextEquals("order_date"u8))
            {
                Next(ref reader);
                orderDate = ReadDate(ref reader, state, index);
            }
            else if (reader.ValueTextEquals("line_items"u8))
            {
                sawLines = true;
                Next(ref reader);
                ReadLines(ref reader, state, index);
            }
            else
            {
                state.Add($"orders[{index}].{reader.GetString()}", "unknown field");
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
                if (reader.ValueTextEquals("product_name"u8))
                {
                    sawName = true;
                    Next(ref reader);
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (name is null || name.Length is 0 or > 512)
                    {
                        state.Add(path.Field("product_name"), "must be a string of 1-512 characters");
                        name = null;
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("unit_price"u8))
                {
                    sawPrice = true;
                    Next(ref reader);
                    price = ReadNumber(ref reader, state, path, "unit_price", strictlyPositive: false);
                }
                else if (reader.ValueTextEquals("quantity"u8))
                {
                    sawQuantity = true;
                    Next(ref reader);
                    quantity = ReadNumber(ref reader, state, path, "quantity", strictlyPositive: true);
                }
                else
                {
                    state.Add(path.Field(reader.GetString()!), "unknown field");
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

            if (name is not null && price is { } p && quantity is { } q)
            {
                state.PendingLines.Add(new PendingLine(name, p, q));
            }
        }

        if (index == 0)
        {
            state.Add($"orders[{order}].line_items", "must contain at least one line item");
        }
    }

    private static string? ReadText(ref Utf8JsonReader reader, State state, int order, string field, int max, bool nullable)
    {
        if (nullable && reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || text.Length == 0 || text.Length > max)
        {
            state.Add($"orders[{order}].{field}", $"must be a string of 1-{max} characters{(nullable ? " (or null)" : "")}");
            reader.Skip();
            return null;
        }

        return text;
    }

    private static long? ReadDate(ref Utf8JsonReader reader, State state, int order)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        // The common UTC form ("...Z") parses straight from the UTF-8 bytes; anything else takes the general parser.
        if (reader.TokenType == JsonTokenType.String
            && !reader.ValueIsEscaped
            && reader.ValueSpan is { Length: >= 11 } raw
            && raw[^1] == (byte)'Z' && char.IsAsciiDigit((char)raw[0]) && raw[4] == (byte)'-'
            && reader.TryGetDateTimeOffset(out var utc))
        {
            return utc.ToUnixTimeMilliseconds();
        }

        if (reader.TokenType == JsonTokenType.String
            && reader.GetString() is { Length: >= 10 } text
            && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return date.ToUnixTimeMilliseconds();
        }

        state.Add($"orders[{order}].order_date", "must be an ISO 8601 date-time such as 2025-03-15T10:30:00Z (or null)");
        reader.Skip();
        return null;
    }

    private static double? ReadNumber(ref Utf8JsonReader reader, State state, LinePath path, string field, bool strictlyPositive)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value))
        {
            if (strictlyPositive ? value > 0 : value >= 0)
            {
                return value;
            }

            state.Add(path.Field(field), strictlyPositive ? "must be greater than 0" : "must be greater than or equal to 0");
            return null;
        }

        state.Add(path.Field(field), "must be a number");
        reader.Skip();
        return null;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of the request body.", null, reader.CurrentState.Options.MaxDepth, reader.BytesConsumed);
        }

        return reader.TokenType;
    }

    /// <summary>Where a line item sits in the request, for error details: <c>orders[3].line_items[1]</c>.</summary>
    private readonly record struct LinePath(int Order, int Index)
    {
        public override string ToString() => $"orders[{Order}].line_items[{Index}]";

        public string Field(string name) => $"orders[{Order}].line_items[{Index}].{name}";
    }

    private readonly record struct PendingLine(string ProductName, double UnitPrice, double Quantity);

    private sealed class State(int expectedRows)
    {
        private readonly Dictionary<(string, string), int> _index = new(expectedRows);
        private readonly List<IngestRow> _rows = new(expectedRows);
        private int _suppressed;

        public string? DatasetId { get; set; }

        public int Orders { get; set; }

        public int LineItems { get; set; }

        public List<PendingLine> PendingLines { get; } = [];

        public List<ErrorDetail> Details { get; } = [];

        public void Add(string path, string message)
        {
            if (Details.Count < MaxDetails)
            {
                Details.Add(new ErrorDetail(path, message));
            }
            else
            {
                _suppressed++;
            }
        }

        public void Put(IngestRow row)
        {
            if (_index.TryGetValue((row.OrderId, row.ProductName), out var at))
            {
                _rows[at] = row;
            }
            else
            {
                _index[(row.OrderId, row.ProductName)] = _rows.Count;
                _rows.Add(row);
            }
        }

        public List<IngestRow> Rows()
        {
            if (_suppressed > 0)
            {
                Details.Add(new ErrorDetail("", $"{_suppressed} more problems not listed"));
            }

            return _rows;
        }
    }
}

/// <summary>The parse of an ingest body: malformed, or counted and validated (details empty when valid).</summary>
internal sealed record IngestParse(
    string? DatasetId,
    IReadOnlyList<IngestRow> Rows,
    int Orders,
    int LineItems,
    IReadOnlyList<ErrorDetail> Details,
    string? MalformedMessage)
{
    public static IngestParse Malformed(string message) => new(null, [], 0, 0, [], message);
}
