using System.Net;

namespace Affinsy.Connectors.WooCommerce.Mapping;

/// <summary>
/// WooCommerce returns line names as stored, and themes and imports store them with HTML entities or without
/// (the REST docs' own example: <c>Ship Your Idea &amp;ndash; Color: Black, Size: M Test</c>; WordPress writes
/// <c>&amp;#038;</c> and <c>&amp;#8217;</c>): decoded, <c>Tea &amp;amp; Cake</c> and <c>Tea &amp; Cake</c> are one product.
/// </summary>
public static class HtmlEntities
{
    /// <summary>The text with entities decoded once; the same instance (no allocation) when it has no '&amp;'.</summary>
    public static string? Decode(string? text) =>
        text is null || !text.Contains('&', StringComparison.Ordinal) ? text : WebUtility.HtmlDecode(text);
}
