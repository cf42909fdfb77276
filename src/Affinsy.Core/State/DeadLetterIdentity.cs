using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Affinsy.Core.State;

/// <summary>
/// What makes two dead letters the same refusal: the pipeline, where the record came from (its source position, or its
/// order id when the source gives no position) and the reason. Stores write a letter only once per identity, so a
/// crash-resume or a full refresh that reads the same bad record again adds nothing. The identity is kept as a 64-bit
/// hash (the first 8 bytes of SHA-256 over the parts): it fits in memory for millions of letters, names a letter in
/// <c>dead-letters show ID</c>, and a collision needs about 2^32 letters in one pipeline.
/// </summary>
public static class DeadLetterIdentity
{
    /// <summary>The identity hash of <paramref name="letter"/> in <paramref name="pipeline"/>.</summary>
    public static ulong Hash(string pipeline, DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(letter);

        // The kind prefix keeps "position 12" and "order 12" apart; NUL cannot occur in YAML names or reasons we write.
        var (kind, where) = string.IsNullOrEmpty(letter.Position) ? ("o", letter.OrderId ?? string.Empty) : ("p", letter.Position);
        var length = Encoding.UTF8.GetMaxByteCount(pipeline.Length + where.Length + letter.Reason.Length + 4);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var part in (ReadOnlySpan<string>)[pipeline, "\0", kind, "\0", where, "\0", letter.Reason])
            {
                written += Encoding.UTF8.GetBytes(part, rented.AsSpan(written));
            }

            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(rented.AsSpan(0, written), digest);
            return BinaryPrimitives.ReadUInt64BigEndian(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The identity as a letter's id: 16 lower-case hex digits.</summary>
    public static string Of(string pipeline, DeadLetter letter) => Format(Hash(pipeline, letter));

    /// <summary>16 lower-case hex digits.</summary>
    public static string Format(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Reads an id back; false when <paramref name="id"/> is not 16 hex digits.</summary>
    public static bool TryParse(string? id, out ulong hash)
    {
        hash = 0;
        return id is { Length: 16 } && ulong.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);
    }
}
