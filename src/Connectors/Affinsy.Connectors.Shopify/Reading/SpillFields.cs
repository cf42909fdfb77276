using System.Buffers.Binary;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// The fields pass 1 read from one bulk result line, as compact tagged bytes stored in the spill beside the raw line, so
/// pass 2 rebuilds the order without parsing its JSON again (the raw line stays for dead letters). Each field is a tag
/// byte and its value: text as a 4-byte length (-1: null) and its UTF-8 (already unescaped); a date as a presence byte,
/// UTC ticks and the offset in minutes; an amount as a presence byte and <see cref="decimal.GetBits(decimal, Span{int})"/>;
/// a count as 4 bytes (a nullable count with a presence byte first); a flag as one byte. A field that could not be read
/// ends the list with <see cref="SpillField.Problem"/> and its reason.
/// </summary>
internal enum SpillField : byte
{
    Id = 1,
    Name,
    CreatedAt,
    ProcessedAt,
    UpdatedAt,
    CancelledAt,
    Test,
    Currency,
    Email,
    Customer,
    Title,
    VariantTitle,
    Sku,
    Quantity,
    CurrentQuantity,
    Discounted,
    Original,
    Allocated,
    Problem,
}

/// <summary>Appends <see cref="SpillField"/>s for one line; reused line after line (no allocation once grown).</summary>
internal sealed class SpillFieldWriter
{
    private byte[] buffer = new byte[1024];
    private int length;

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    public void Clear() => length = 0;

    public void Text(SpillField field, ReadOnlySpan<byte> utf8, bool isNull = false)
    {
        var span = Take(field, 4 + utf8.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, isNull ? -1 : utf8.Length);
        utf8.CopyTo(span[4..]);
    }

    public void Date(SpillField field, DateTimeOffset? value)
    {
        var span = Take(field, 1 + 8 + 2);
        span[0] = value is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value?.UtcTicks ?? 0);
        BinaryPrimitives.WriteInt16LittleEndian(span[9..], (short)(value?.TotalOffsetMinutes ?? 0));
    }

    public void Amount(SpillField field, decimal? value)
    {
        var span = Take(field, 1 + 16);
        span[0] = value is null ? (byte)0 : (byte)1;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value ?? 0, bits);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[(1 + (4 * i))..], bits[i]);
        }
    }

    public void Count(SpillField field, int? value)
    {
        var span = Take(field, 1 + 4);
        span[0] = value is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], value ?? 0);
    }

    public void Flag(SpillField field, bool value) => Take(field, 1)[0] = value ? (byte)1 : (byte)0;

    private Span<byte> Take(SpillField field, int size)
    {
        if (length + 1 + size > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + 1 + size));
        }

        buffer[length] = (byte)field;
        var span = buffer.AsSpan(length + 1, size);
        length += 1 + size;
        return span;
    }
}

/// <summary>Reads back what <see cref="SpillFieldWriter"/> wrote: <see cref="Next"/>, then the getter of that field's kind.</summary>
internal ref struct SpillFieldReader(ReadOnlySpan<byte> fields)
{
    private readonly ReadOnlySpan<byte> fields = fields;
    private int at;

    public bool Next(out SpillField field)
    {
        field = at < fields.Length ? (SpillField)fields[at++] : default;
        return field != default;
    }

    /// <summary>The text's UTF-8; false when it was null.</summary>
    public bool Text(out ReadOnlySpan<byte> utf8)
    {
        var size = BinaryPrimitives.ReadInt32LittleEndian(fields[at..]);
        at += 4;
        utf8 = size < 0 ? default : fields.Slice(at, size);
        at += Math.Max(size, 0);
        return size >= 0;
    }

    public DateTimeOffset? Date()
    {
        var has = fields[at] == 1;
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(fields[(at + 1)..]);
        var offset = TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(fields[(at + 9)..]));
        at += 11;
        return has ? new DateTimeOffset(ticks + offset.Ticks, offset) : null;
    }

    public decimal? Amount()
    {
        var has = fields[at] == 1;
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(fields[(at + 1 + (4 * i))..]);
        }

        at += 17;
        return has ? new decimal(bits) : null;
    }

    public int? Count()
    {
        var has = fields[at] == 1;
        var value = BinaryPrimitives.ReadInt32LittleEndian(fields[(at + 1)..]);
        at += 5;
        return has ? value : null;
    }

    public bool Flag() => fields[at++] == 1;
}
