using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Which order a bulk result line belongs to, read as JSON (pass 1 of <see cref="OrderSpill"/>): the whole line is
/// tokenized, so a line that is not JSON makes the result unusable before anything is sent, and escaped slashes in
/// gids (<c>gid:\/\/shopify\/Order\/1</c>) are unescaped, never matched as text. In the same walk the fields the
/// mapping needs are read (<see cref="BulkLineFields"/>), so no line is parsed twice. A field that cannot be read does
/// not stop the walk's verdict on the line: the line is tokenized again for its keys alone (the rare bad line pays
/// twice), which tells a line that is not JSON (the result is unusable) from one whose order must be refused.
/// </summary>
internal static class BulkLineKeys
{
    /// <summary>
    /// Whether a line is a line item and the numeric id of the order it belongs to, with its fields written to
    /// <paramref name="fields"/> (cleared first); a field that could not be read ends them with <see cref="SpillField.Problem"/>.
    /// </summary>
    public static (bool IsChild, long Key) Read(ReadOnlySpan<byte> line, long lineNumber, SpillFieldWriter fields)
    {
        fields.Clear();
        try
        {
            return Walk(line, lineNumber, fields);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            // Not JSON, or one field of the wrong shape: the keys alone tell (and throw if the whole line is broken).
            var keys = Read(line, lineNumber);
            fields.Text(SpillField.Problem, System.Text.Encoding.UTF8.GetBytes($"result line {lineNumber} could not be read ({e.Message})"));
            return keys;
        }
    }

    /// <summary>Whether a line is a line item, and the numeric id of the order it belongs to, read as JSON.</summary>
    public static (bool IsChild, long Key) Read(ReadOnlySpan<byte> line, long lineNumber)
    {
        try
        {
            return Walk(line, lineNumber, null);
        }
        catch (JsonException e)
        {
            throw new BulkResultUnusableException($"line {lineNumber} is not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>The one walk over a line: its keys always, its fields when <paramref name="fields"/> is given (their errors propagate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (bool IsChild, long Key) Walk(ReadOnlySpan<byte> line, long lineNumber, SpillFieldWriter? fields)
    {
        long? id = null;
        long? parent = null;
        var hasParent = false;
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            var isParent = !isId && reader.ValueTextEquals("__parentId"u8);
            if (!isId && !isParent && fields is not null && BulkLineFields.TryRead(ref reader, fields))
            {
                continue;
            }

            hasParent |= isParent;
            reader.Read();
            if ((isId || isParent) && reader.TokenType == JsonTokenType.String)
            {
                var tail = GidTail(ref reader);
                if (isId)
                {
                    id = tail;
                    if (fields is not null)
                    {
                        BulkLineFields.Text(ref reader, SpillField.Id, fields, numericTail: true);
                    }
                }
                else
                {
                    parent = tail;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("text after the object");
        }

        return parent is { } p ? (true, p)
            : hasParent ? throw new BulkResultUnusableException($"line {lineNumber} has a '__parentId' that is not a Shopify gid")
            : id is { } i ? (false, i)
            : throw new BulkResultUnusableException($"line {lineNumber} has neither a Shopify gid 'id' nor '__parentId'");
    }

    private static long? GidTail(ref Utf8JsonReader reader)
    {
        if (reader.ValueSpan.Length > 256)
        {
            return null;
        }

        if (!reader.ValueIsEscaped)
        {
            return Tail(reader.ValueSpan);
        }

        // Bulk files escape slashes ("gid:\/\/shopify\/Order\/1"): read what the JSON says, not its spelling.
        Span<byte> unescaped = stackalloc byte[256];
        return Tail(unescaped[..reader.CopyString(unescaped)]);
    }

    private static long? Tail(ReadOnlySpan<byte> text)
    {
        var tail = text[(text.LastIndexOf((byte)'/') + 1)..];
        var query = tail.IndexOf((byte)'?');
        tail = query < 0 ? tail : tail[..query];
        return Utf8Parser.TryParse(tail, out long value, out var used) && used == tail.Length ? value : null;
    }
}
