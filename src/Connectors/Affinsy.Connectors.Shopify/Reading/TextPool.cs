using System.Text;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// One string per distinct short UTF-8 value (product titles, variants, SKUs, currencies, customer ids repeat across
/// millions of lines): a lookup by the decoded characters, allocating only the first time. Bounded, so a store with
/// unbounded distinct values costs allocations, not memory.
/// </summary>
internal sealed class TextPool
{
    private const int MaxEntries = 50_000;
    private const int MaxLength = 128;
    private readonly Dictionary<string, string> strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    public TextPool() => lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var created = new string(text);
        if (strings.Count < MaxEntries)
        {
            strings.Add(created, created);
        }

        return created;
    }
}
