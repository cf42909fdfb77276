namespace Affinsy.Connectors.HttpJsonl.Http;

/// <summary>
/// Finds the <c>rel="next"</c> target in <c>Link</c> header values, as RFC 8288 (Web Linking) serialises them
/// (https://www.rfc-editor.org/rfc/rfc8288, section 3): <c>Link = #link-value</c>, <c>link-value = "&lt;" URI-Reference
/// "&gt;" *( OWS ";" OWS link-param )</c>, a param's value a token or a quoted-string (which may hold commas and
/// semicolons); section 3.3: <c>rel</c> may list several space-separated relation types and only its first occurrence in
/// a link-value counts; section 2.1.1: relation types compare case-insensitively; section 3.1: a relative target is
/// resolved against the request's URI (RFC 3986 section 5). GitHub's REST API pages exactly this way
/// (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api: <c>link: &lt;...?page=4&gt;;
/// rel="next", &lt;...?page=515&gt;; rel="last"</c>, the header left out on the last page).
/// </summary>
internal static class LinkHeader
{
    /// <summary>The next page's absolute URL, or null when no link-value has <c>next</c> among its relation types.</summary>
    public static Uri? Next(IEnumerable<string> values, Uri requested)
    {
        foreach (var value in values)
        {
            var at = 0;
            while (NextLink(value, ref at, out var target, out var rel))
            {
                if (rel is not null && IsNext(rel) && Uri.TryCreate(requested, target, out var next))
                {
                    return next;
                }
            }
        }

        return null;
    }

    private static bool IsNext(string rel)
    {
        foreach (var type in rel.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (type.Equals("next", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads one link-value from <paramref name="at"/>; false when none is left (or the rest is malformed).</summary>
    private static bool NextLink(string text, ref int at, out string target, out string? rel)
    {
        target = string.Empty;
        rel = null;
        var open = text.IndexOf('<', at);
        var close = open < 0 ? -1 : text.IndexOf('>', open + 1);
        if (close < 0)
        {
            return false;
        }

        target = text[(open + 1)..close].Trim();
        at = close + 1;
        while (at < text.Length)
        {
            at = SkipSpace(text, at);
            if (at >= text.Length || text[at] == ',')
            {
                at++;
                break;
            }

            if (text[at] != ';')
            {
                // Not a parameter: the link-value is malformed; resync at the next one.
                var comma = text.IndexOf(',', at);
                at = comma < 0 ? text.Length : comma + 1;
                break;
            }

            var (name, value) = Param(text, ref at);
            if (rel is null && name.Equals("rel", StringComparison.OrdinalIgnoreCase))
            {
                rel = value;
            }
        }

        return true;
    }

    private static (string Name, string Value) Param(string text, ref int at)
    {
        at = SkipSpace(text, at + 1);
        var start = at;
        while (at < text.Length && text[at] is not ('=' or ';' or ',') && !char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        var name = text[start..at];
        at = SkipSpace(text, at);
        if (at >= text.Length || text[at] != '=')
        {
            return (name, string.Empty);
        }

        at = SkipSpace(text, at + 1);
        if (at < text.Length && text[at] == '"')
        {
            var value = new System.Text.StringBuilder();
            for (at++; at < text.Length && text[at] != '"'; at++)
            {
                // quoted-pair: a backslash escapes the next character.
                if (text[at] == '\\' && at + 1 < text.Length)
                {
                    at++;
                }

                value.Append(text[at]);
            }

            at++;
            return (name, value.ToString());
        }

        start = at;
        while (at < text.Length && text[at] is not (';' or ',') && !char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        return (name, text[start..at]);
    }

    private static int SkipSpace(string text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }
}
