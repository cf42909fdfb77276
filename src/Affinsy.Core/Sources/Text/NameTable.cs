using System.Text;

namespace Affinsy.Core.Sources.Text;

/// <summary>
/// Turns UTF-8 field bytes into trimmed strings, reusing one string per distinct value: product
/// names and customer ids repeat across millions of rows, so most rows allocate nothing. Stops
/// remembering new values past a bound so a file of unique values cannot grow it without limit. Not thread-safe: one
/// per reading loop.
/// </summary>
/// <param name="capacity">How many distinct values it remembers at most.</param>
public sealed class NameTable(int capacity = 200_000)
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private char[] _chars = new char[256];

    /// <summary>The text of <paramref name="utf8"/>, trimmed, as the string already made for it when there is one.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        var needed = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var length = Encoding.UTF8.GetChars(utf8, _chars);
        var text = _chars.AsSpan(0, length).Trim();
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var created = text.ToString();
        if (_strings.Count < capacity)
        {
            _strings.Add(created);
        }

        return created;
    }
}
