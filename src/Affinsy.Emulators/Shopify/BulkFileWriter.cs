using System.Buffers;
using System.Text.Json;

namespace Affinsy.Emulators.Shopify;

/// <summary>
/// Writes a bulk query's JSON Lines result as shopify.dev "Perform bulk operations with the GraphQL Admin API" describes
/// it: one object per line, nested connections flattened into their own lines that name their parent in
/// <c>__parentId</c>, slashes in gids escaped. Grouped output puts each order's line items right after it; ungrouped
/// output (the default from 2026-01, changelog 2025-10-29 "Bulk operations group objects default changed to false")
/// promises no order at all, so this writer puts some orders' line items before the order, some right after, and
/// some at the very end of the file.
/// </summary>
internal static class BulkFileWriter
{
    /// <summary>Writes the result to <paramref name="file"/>; <paramref name="corruptAtLine"/> replaces that line with text that is not JSON.</summary>
    public static void Write(Stream file, IReadOnlyList<EmulatedOrder> snapshot, bool grouped, long? corruptAtLine = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var w = new Utf8JsonWriter(buffer);
        long line = 0;
        var deferred = new List<EmulatedOrder>();
        for (var i = 0; i < snapshot.Count; i++)
        {
            var order = snapshot[i];
            switch (grouped ? 1 : i % 3)
            {
                case 0:
                    Children(w, buffer, order, ref line, corruptAtLine);
                    Order(w, buffer, order, ref line, corruptAtLine);
                    break;
                case 1:
                    Order(w, buffer, order, ref line, corruptAtLine);
                    Children(w, buffer, order, ref line, corruptAtLine);
                    break;
                default:
                    Order(w, buffer, order, ref line, corruptAtLine);
                    deferred.Add(order);
                    break;
            }

            Drain(file, buffer);
        }

        foreach (var order in deferred)
        {
            Children(w, buffer, order, ref line, corruptAtLine);
            Drain(file, buffer);
        }

        file.Write(buffer.WrittenSpan);
    }

    private static void Drain(Stream file, ArrayBufferWriter<byte> buffer)
    {
        if (buffer.WrittenCount > 48 * 1024)
        {
            file.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
    }

    private static void Order(Utf8JsonWriter w, ArrayBufferWriter<byte> buffer, EmulatedOrder order, ref long line, long? corruptAt)
    {
        w.WriteStartObject();
        OrderJsonWriter.GraphQLOrderFields(w, order, escapedGids: true);
        w.WriteEndObject();
        End(w, buffer, ref line, corruptAt);
    }

    private static void Children(Utf8JsonWriter w, ArrayBufferWriter<byte> buffer, EmulatedOrder order, ref long line, long? corruptAt)
    {
        foreach (var item in order.Lines)
        {
            w.WriteStartObject();
            OrderJsonWriter.WriteGid(w, "id", "LineItem", item.Id, escaped: true);
            OrderJsonWriter.GraphQLLineFields(w, item, order.Currency);
            OrderJsonWriter.WriteGid(w, "__parentId", "Order", order.Id, escaped: true);
            w.WriteEndObject();
            End(w, buffer, ref line, corruptAt);
        }
    }

    private static void End(Utf8JsonWriter w, ArrayBufferWriter<byte> buffer, ref long line, long? corruptAt)
    {
        w.Flush();
        w.Reset();
        if (++line == corruptAt)
        {
            // A truncated object, as a broken storage write would leave it.
            buffer.Write("{\"id\":\"gid:\\/\\/shopify\\/Order\\/"u8);
        }

        buffer.Write("\n"u8);
    }
}
