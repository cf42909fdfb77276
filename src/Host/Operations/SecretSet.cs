using System.Buffers;
using System.Text;

namespace Affinsy.Host.Operations;

/// <summary>A prepared set of secrets for <see cref="Redaction"/>: build once, redact many messages.</summary>
internal sealed class SecretSet
{
    private readonly string[] secrets;
    private readonly SearchValues<string>? search;

    public SecretSet(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            all.Add(secret);
            all.Add(Uri.EscapeDataString(secret));
        }

        // Longest first, so a secret that contains another is masked whole.
        this.secrets = [.. all.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];
        search = this.secrets.Length > 0 ? SearchValues.Create(this.secrets, StringComparison.Ordinal) : null;
    }

    public bool IsEmpty => search is null;

    /// <summary>The text with secrets masked; the same instance when it holds none (no allocation).</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (search is null)
        {
            return text;
        }

        var rest = text.AsSpan();
        var first = rest.IndexOfAny(search);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        while (first >= 0)
        {
            builder.Append(rest[..first]);
            builder.Append(Redaction.Mask);
            rest = rest[(first + LongestAt(rest[first..]))..];
            first = rest.IndexOfAny(search);
        }

        return builder.Append(rest).ToString();
    }

    private int LongestAt(ReadOnlySpan<char> text)
    {
        foreach (var secret in secrets)
        {
            if (text.StartsWith(secret, StringComparison.Ordinal))
            {
                return secret.Length;
            }
        }

        return 1; // unreachable: the search found one of them here
    }
}
