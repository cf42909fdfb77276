using System.Data.Common;

namespace Affinsy.Host.Operations;

/// <summary>Replaces configured secret values (tokens, keys, passwords) in text with <c>***</c>.</summary>
internal static class Redaction
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>
    /// <paramref name="text"/> with every occurrence of every secret replaced by <see cref="Mask"/>, the
    /// longest secret first where two overlap. Each secret is also matched in its URL-encoded form, since
    /// secrets travel in query strings and request URIs.
    /// </summary>
    public static string Redact(string text, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        return new SecretSet(secrets).Redact(text);
    }

    /// <summary>
    /// The secret parts of a connection string (its password), for adding to the set a logger redacts:
    /// drivers quote pieces of the connection string in their errors, not always the whole of it.
    /// Returns nothing when the text is not a key=value connection string.
    /// </summary>
    public static IReadOnlyList<string> SecretsOfConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return [];
        }

        var found = new List<string> { connectionString };
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            foreach (var key in (string[])["password", "pwd", "passwd", "sslpassword", "ssl password"])
            {
                if (builder.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } secret)
                {
                    found.Add(secret);
                }
            }
        }
        catch (ArgumentException)
        {
            // Not key=value (a URL, say): the whole string is still redacted.
        }

        return found;
    }
}
