using System.Buffers;
using System.Text.Json;

namespace Affinsy.Emulators.Shopify;

/// <summary>
/// Writes a bulk query's JSON Lines result as shopify.dev "Perform bulk operations with the GraphQL Admin API" describes
/// it: one object per line, nested connections flattened into their own lines that name their parent in
/// <c>__parentId</c>, slashes in gids escaped. Grouped output puts each order's line items right after it. Ungrouped
/// output (the default from 2026-01, changelog 2025-10-29 "Bulk operations group objects default changed to false";
/// the guide: without grouping a child may appear anywhere in the file, before or after its parent) promises no order
/// at all, so this writer places each line item on its own, deterministically from the seed: some a few orders before
/// their order, some right before it, some right after, some a few orders later, some at the very end, so that one
/// order's lines are split around it and far from it.
/// </summary>
internal static class BulkFileWriter
{
    /// <summary>How many orders away a line placed early or late lands from its order.</summary>
    private const int Distance = 5;

    /// <summary>Writes the result to <paramref name="file"/>; <paramref name="corruptAtLine"/> replaces that line with text that is not JSON.</summary>
    public static void Write(Stream file, IReadOnlyList<EmulatedOrder> snapshot, bool grouped, long? corruptAtLine = null, int seed = 7)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var w = new Utf8JsonWriter(buffer);
        var at = new Cursor(w, buffer, corruptAtLine, grouped, seed);
        if (!grouped)
        {
            // Lines placed early whose order is among the first few: the file starts with them.
            for (var j = 0; j < Math.Min(Distance, snapshot.Count); j++)
            {
                Children(ref at, snapshot[j], Place.Early);
            }
        }

        for (var i = 0; i < snapshot.Count; i++)
        {
            if (!grouped && i + Distance < snapshot.Count)
            {
                Children(ref at, snapshot[i + Distance], Place.Early);
            }

            Children(ref at, snapshot[i], Place.Before);
            Order(ref at, snapshot[i]);
            Children(ref at, snapshot[i], Place.After);
            if (!grouped && i >= Distance)
            {
                Children(ref at, snapshot[i - Distance], Place.Late);
            }

            Drain(file, buffer);
        }

        if (!grouped)
        {
            // Lines placed late whose order is among the last few, then every line placed at the end.
            for (var i = Math.Max(0, snapshot.Count - Distance); i < snapshot.Count; i++)
            {
                Children(ref at, snapshot[i], Place.Late);
                Drain(file, buffer);
            }

            for (var i = 0; i < snapshot.Count; i++)
            {
                Children(ref at, snapshot[i], Place.End);
                Drain(file, buffer);
            }
        }

        file.Write(buffer.WrittenSpan);
    }

    private enum Place
    {
        Early,
        Before,
        After,
        Late,
        End,
    }

    /// <summary>Where the writer is: its output, the line count, and how it places lines.</summary>
    private ref struct Cursor(Utf8JsonWriter w, ArrayBufferWriter<byte> buffer, long? corruptAt, bool grouped, int seed)
    {
        public readonly Utf8JsonWriter W = w;
        public readonly ArrayBufferWriter<byte> Buffer = buffer;
        public readonly long? CorruptAt = corruptAt;
        public readonly bool Grouped = grouped;
        public readonly int Seed = seed;
        public long Line;
    }

    /// <summary>Where one line item goes, from the seed, the order and the line's index (30% right before or after, 15% a few orders early or late, 10% at the end).</summary>
    private static Place PlaceOf(in Cursor at, long orderId, int index)
    {
        if (at.Grouped)
        {
            return Place.After;
        }

        var x = unchecked(((ulong)at.Seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)orderId * 0xBF58476D1CE4E5B9UL) ^ ((ulong)index * 0x94D049BB133111EBUL));
        x ^= x >> 31;
        x = unchecked(x * 0xD6E8FEB86659FD93UL);
        x ^= x >> 32;
        return (x % 20) switch
        {
            < 6 => Place.Before,
            < 12 => Place.After,
            < 15 => Place.Early,
            < 18 => Place.Late,
            _ => Place.End,
        };
    }

    private static void Drain(Stream file, ArrayBufferWriter<byte> buffer)
    {
        if (buffer.WrittenCount > 48 * 1024)
        {
            file.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
    }

    private static void Order(ref Cursor at, EmulatedOrder order)
    {
        at.W.WriteStartObject();
        OrderJsonWriter.GraphQLOrderFields(at.W, order, escapedGids: true);
        at.W.WriteEndObject();
        End(ref at);
    }

    private static void Children(ref Cursor at, EmulatedOrder order, Place place)
    {
        for (var i = 0; i < order.Lines.Count; i++)
        {
            if (PlaceOf(at, order.Id, i) != place)
            {
                continue;
            }

            var item = order.Lines[i];
            at.W.WriteStartObject();
            OrderJsonWriter.WriteGid(at.W, "id", "LineItem", item.Id, escaped: true);
            OrderJsonWriter.GraphQLLineFields(at.W, item, order.Currency);
            OrderJsonWriter.WriteGid(at.W, "__parentId", "Order", order.Id, escaped: true);
            at.W.WriteEndObject();
            End(ref at);
        }
    }

    private static void End(ref Cursor at)
    {
        at.W.Flush();
        at.W.Reset();
        if (++at.Line == at.CorruptAt)
        {
            // A truncated object, as a broken storage write would leave it.
            at.Buffer.Write("{\"id\":\"gid:\\/\\/shopify\\/Order\\/"u8);
        }

        at.Buffer.Write("\n"u8);
    }
}
