using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Affinsy.Reference.Mining;

/// <summary>
/// Reads a basket file (UTF-8, a leading BOM skipped) straight from its bytes, with the same result as reading it
/// line by line as text (<see cref="BasketFileReader.Read(TextReader, char, CancellationToken)"/>): lines end at
/// LF, CR or CRLF, items are split at an ASCII separator and trimmed of white space, empty items are skipped, and a
/// blank line is an empty basket except after the last line break.
/// </summary>
/// <remarks>
/// Built for FIMI files, whose items are integer ids: an id goes through an array to its code, so no string is made
/// or hashed per item and each distinct name is created once. Anything that is not a plain id (a leading zero, a
/// sign, letters, non-ASCII white space) takes the text path through the builder's name dictionary, and ids are
/// recognised on that path too, so "7" and " 7" can never become two products.
/// </remarks>
internal sealed class BasketBytesReader
{
    // Ids below this go through the array (at most 16 MB); larger ones are names like any other.
    private const int MaxArrayId = 1 << 22;

    private readonly BasketSetBuilder _builder;
    private readonly byte _separator;
    private int[] _codeById = new int[1024];
    private char[] _chars = new char[256];

    private BasketBytesReader(byte separator, long streamLength)
    {
        _separator = separator;
        // An item takes at least two bytes (a digit and a separator), about 4.5 in retail.dat: a quarter of the
        // length holds most files without the buffer doubling and copying as it fills.
        _builder = new BasketSetBuilder((int)Math.Min(streamLength / 4, int.MaxValue));
    }

    /// <summary>Reads every basket from the stream; <paramref name="separator"/> must be ASCII and not CR or LF.</summary>
    public static BasketSet Read(Stream stream, char separator, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!IsByteSeparator(separator))
        {
            throw new ArgumentOutOfRangeException(nameof(separator), "the separator must be an ASCII character other than CR and LF");
        }

        var reader = new BasketBytesReader((byte)separator, stream.CanSeek ? stream.Length : 0);
        reader.ReadAll(stream, ct);
        return reader._builder.Build();
    }

    public static bool IsByteSeparator(char separator) => separator < 0x80 && separator is not '\r' and not '\n';

    // Just over 60 lines on purpose: the load phase's byte loop over the whole file, one method so the buffer window
    // (buffer, start, end, eof) stays in locals; refilling and scanning as helpers would pass all four by ref.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadAll(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        int start = 0, end = 0, lines = 0;
        var eof = false;
        var atFileStart = true;
        while (true)
        {
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            eof = read == 0;
            end += read;
            if (atFileStart)
            {
                if (end < 3 && !eof)
                {
                    continue;
                }

                atFileStart = false;
                start = buffer.AsSpan(0, end).StartsWith("\uFEFF"u8) ? 3 : 0;
            }

            while (true)
            {
                var rest = buffer.AsSpan(start, end - start);
                var lineEnd = rest.IndexOfAny((byte)'\r', (byte)'\n');
                if (lineEnd < 0 || (rest[lineEnd] == '\r' && lineEnd + 1 == rest.Length && !eof))
                {
                    break; // no whole line left, or a CR whose LF may be in the next read
                }

                ParseLine(rest[..lineEnd]);
                start += rest[lineEnd] == '\r' && lineEnd + 1 < rest.Length && rest[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
                if ((++lines & 0xFFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
            }

            if (eof)
            {
                if (start < end)
                {
                    ParseLine(buffer.AsSpan(start, end - start));
                }

                return;
            }
        }
    }

    private void ParseLine(ReadOnlySpan<byte> line)
    {
        if (!TryParseIds(line))
        {
            ParseItems(line);
        }

        _builder.EndBasket();
    }

    /// <summary>
    /// One pass over a line of plain ids (digits, separators, spaces and tabs): the FIMI case. Returns false at the first
    /// byte that needs the general path; the ids added so far are added again there, and a basket holds each product once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParseIds(ReadOnlySpan<byte> line)
    {
        var separator = _separator;
        int id = 0, digits = 0;
        var closed = false; // blanks after the digits: another digit would make a name like "1 2"
        foreach (var b in line)
        {
            var digit = (uint)(b - '0');
            if (digit <= 9)
            {
                if (closed || (digits > 0 && id == 0) || digits == 7)
                {
                    return false; // "1 2" as one item, a leading zero, or a long number: names for the general path
                }

                id = (id * 10) + (int)digit;
                digits++;
            }
            else if (b == separator)
            {
                if (digits > 0 && !AddIdBelowBound(id))
                {
                    return false;
                }

                id = digits = 0;
                closed = false;
            }
            else if (b is (byte)' ' or (byte)'\t')
            {
                closed = digits > 0;
            }
            else
            {
                return false;
            }
        }

        return digits == 0 || AddIdBelowBound(id);
    }

    private void ParseItems(ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var at = line.IndexOf(_separator);
            var item = at < 0 ? line : line[..at];
            var trimmed = item.Trim(" \t"u8);
            if (!trimmed.IsEmpty)
            {
                if (TryId(trimmed, out var id))
                {
                    AddId(id);
                }
                else
                {
                    AddName(item);
                }
            }

            if (at < 0)
            {
                break;
            }

            line = line[(at + 1)..];
        }
    }

    // A plain id: digits only, no leading zero (so "07" stays the name "07"), below MaxArrayId.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryId(ReadOnlySpan<byte> digits, out int id)
    {
        id = 0;
        if (digits.Length is 0 or > 7 || (digits[0] == '0' && digits.Length > 1))
        {
            return false;
        }

        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            id = (id * 10) + (int)digit;
        }

        return id < MaxArrayId;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool AddIdBelowBound(int id)
    {
        if (id >= MaxArrayId)
        {
            return false;
        }

        AddId(id);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddId(int id)
    {
        if (id >= _codeById.Length)
        {
            Array.Resize(ref _codeById, Math.Min(MaxArrayId, Math.Max(id + 1, _codeById.Length * 2)));
        }

        var code = _codeById[id] - 1;
        if (code < 0)
        {
            code = _builder.Register(id.ToString(CultureInfo.InvariantCulture));
            _codeById[id] = code + 1;
        }

        _builder.AddCode(code);
    }

    // The text path: decode, trim as text does, and still route a plain id through the array.
    private void AddName(ReadOnlySpan<byte> item)
    {
        var max = Encoding.UTF8.GetMaxCharCount(item.Length);
        if (max > _chars.Length)
        {
            _chars = new char[Math.Max(max, _chars.Length * 2)];
        }

        var name = _chars.AsSpan(0, Encoding.UTF8.GetChars(item, _chars)).Trim();
        if (name.IsEmpty)
        {
            return;
        }

        if (name.Length <= 7 && Ascii.IsValid(name))
        {
            Span<byte> ascii = stackalloc byte[7];
            Ascii.FromUtf16(name, ascii, out var written);
            if (TryId(ascii[..written], out var id))
            {
                AddId(id);
                return;
            }
        }

        _builder.AddItem(name);
    }
}
