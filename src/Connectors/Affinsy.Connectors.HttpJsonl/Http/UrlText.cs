using System.Text;

namespace Affinsy.Connectors.HttpJsonl.Http;

/// <summary>
/// A URL as it may be shown (positions, logs, errors): query values whose names look like credentials are replaced by
/// <c>***</c>. Secrets belong in <c>headers:</c>; this guards the URL a server hands back in its <c>Link</c> header.
/// </summary>
internal static class UrlText
{
    private static readonly string[] SecretNames = ["key", "token", "secret", "password", "signature", "sig", "auth", "credential"];

    public static string Show(Uri url)
    {
        var query = url.Query;
        if (query.Length <= 1)
        {
            return url.OriginalString;
        }

        var shown = new StringBuilder(url.OriginalString.Length);
        shown.Append(url.GetLeftPart(UriPartial.Path)).Append('?');
        var first = true;
        foreach (var pair in query[1..].Split('&'))
        {
            shown.Append(first ? "" : "&");
            first = false;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            shown.Append(equals >= 0 && LooksSecret(name) ? name + "=***" : pair);
        }

        return shown.ToString();
    }

    private static bool LooksSecret(string name)
    {
        var lower = Uri.UnescapeDataString(name).ToLowerInvariant();
        return SecretNames.Any(s => lower.Contains(s, StringComparison.Ordinal));
    }
}
