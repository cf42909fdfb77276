using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Affinsy.Core.Orders;
using Affinsy.Reference.Storage;

namespace Affinsy.Reference.Http;

/// <summary>Reading and checking single values, and the parse's working state.</summary>
internal static partial class IngestRequestParser
{
    private const string InvalidTextMessage =
        "is not valid text: it holds bytes that are not UTF-8 or an escaped lone surrogate (such as \\ud800); send UTF-8 and pair every surrogate escape";

    private static readonly double MaxAmount = (double)OrderRules.MaxAmount;

    /// <summary>
    /// A string token's text, or null with a problem at <paramref name="path"/> when it is not valid Unicode: the
    /// reader leaves that to GetString, which would throw and make a client's bad byte a 500 it retries forever.
    /// </summary>
    private static string? Text(ref Utf8JsonReader reader, State state, ProblemPath path, bool intern = false)
    {
        if (intern && !reader.ValueIsEscaped && TextIntern.TryGet(reader.ValueSpan, out var shared))
        {
            return shared;
        }

        try
        {
            if (reader.ValueIsEscaped || Utf8.IsValid(reader.ValueSpan))
            {
                return reader.GetString();
            }
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate, or invalid bytes between escapes: reported below.
        }

        state.Add(path.ToString(), InvalidTextMessage);
        state.TextInvalid = true;
        return null;
    }

    /// <summary>
    /// For an escaped property name (the caller checks, so plain names cost nothing): true (with a problem, and the value skipped) when it holds an escape that is not valid Unicode:
    /// comparing such a name throws, so it is checked before any comparison. Only escaped names can be invalid here;
    /// raw invalid bytes simply match no known name and are reported as an unknown field.
    /// </summary>
    private static bool InvalidName(ref Utf8JsonReader reader, State state, string parent)
    {
        if (Text(ref reader, state, parent.Length == 0 ? "(body)" : parent) is not null)
        {
            return false;
        }

        state.TextInvalid = false;
        Next(ref reader);
        reader.Skip();
        return true;
    }

    /// <summary>Reports a property the contract does not define (or one whose name is not valid text).</summary>
    private static void UnknownField(ref Utf8JsonReader reader, State state, string parent)
    {
        var where = parent.Length == 0 ? "(body)" : parent;
        if (Text(ref reader, state, where) is { } name)
        {
            state.Add(parent.Length == 0 ? name : $"{parent}.{name}", "unknown field");
        }

        state.TextInvalid = false;
    }

    /// <summary>
    /// A key given twice in one object: JSON parsers disagree on which one wins, so the request is refused
    /// rather than stored with a value the client may not have meant.
    /// </summary>
    private static void Once(ref bool seen, State state, ProblemPath path)
    {
        if (seen)
        {
            state.Add(path.ToString(), "appears more than once in the same object; send each field once");
        }

        seen = true;
    }

    /// <summary>Amounts past what reports can total exactly (Core's <see cref="OrderRules.MaxAmount"/>) [ours].</summary>
    private static (string Field, string Message)? AmountProblem(double price, double quantity)
    {
        if (price > MaxAmount)
        {
            return ("unit_price", string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxAmount:G4}"));
        }

        if (quantity > MaxAmount)
        {
            return ("quantity", string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxAmount:G4}"));
        }

        return price * quantity > MaxAmount
            ? ("quantity", string.Create(CultureInfo.InvariantCulture, $"unit_price x quantity is {price * quantity:G4}, over the {MaxAmount:G4} an order line may total; check the quantity and unit_price"))
            : null;
    }

    private static string? ReadText(ref Utf8JsonReader reader, State state, int order, string field, int max, bool nullable)
    {
        if (nullable && reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        // The nullable field is customer_id, which repeats across orders; an order_id is new each time, not worth sharing.
        var text = reader.TokenType == JsonTokenType.String ? Text(ref reader, state, ProblemPath.InOrder(order, field), intern: nullable) : null;
        if (text is null || text.Length == 0 || text.Length > max)
        {
            state.AddUnlessInvalidText($"orders[{order}].{field}", $"must be a string of 1-{max} characters{(nullable ? " (or null)" : "")}");
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
            && Text(ref reader, state, ProblemPath.InOrder(order, "order_date")) is { Length: >= 10 } text
            && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return date.ToUnixTimeMilliseconds();
        }

        state.AddUnlessInvalidText($"orders[{order}].order_date", "must be an ISO 8601 date-time such as 2025-03-15T10:30:00Z (or null)");
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

        public string Field(string name) => At(name).ToString();

        public ProblemPath At(string name) => ProblemPath.InLine(Order, Index, name);
    }

    private readonly record struct PendingLine(string ProductName, double UnitPrice, double Quantity);

    private sealed class State(RowBuffers buffers)
    {
        private readonly Dictionary<(string, string), int> _index = buffers.Index;
        private readonly List<IngestRow> _rows = buffers.Rows;
        private int _suppressed;

        public string? DatasetId { get; set; }

        public int Orders { get; set; }

        public int LineItems { get; set; }

        public List<PendingLine> PendingLines { get; } = [];

        public List<ErrorDetail> Details { get; } = [];

        /// <summary>Set when <see cref="Text"/> reported a value as invalid, so the caller's own check stays quiet.</summary>
        public bool TextInvalid { get; set; }

        public void AddUnlessInvalidText(string path, string message)
        {
            if (!TextInvalid)
            {
                Add(path, message);
            }

            TextInvalid = false;
        }

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
