using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// Which order a bulk result line belongs to, read as JSON (pass 1 of <see cref="OrderSpill"/>): the whole line is
/// tokenized, so a line that is not JSON makes the result unusable before anything is sent, and escaped slashes in
/// gids (<c>gid:\/\/shopify\/Order\/1</c>) are unescaped, never matched as text.
/// </summary>
internal static class BulkLineKeys
{
    /// <summary>Whether a line is a line item, and the numeric id of the order it belongs to, read as JSON.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (bool IsChild, long Key) Read(ReadOnlySpan<byte> line, long lineNumber)
    {
        long? id = null;
        long? parent = null;
        var hasParent = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                var isParent = !isId && reader.ValueTextEquals("__parentId"u8);
                hasParent |= isParent;
                reader.Read();
                if ((isId || isParent) && reader.TokenType == JsonTokenType.String)
                {
                    var tail = GidTail(ref reader);
                    if (isId)
                    {
                        id = tail;
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
        }
        catch (JsonException e)
        {
            throw new BulkResultUnusableException($"line {lineNumber} is not valid JSON ({e.Message})", e);
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
