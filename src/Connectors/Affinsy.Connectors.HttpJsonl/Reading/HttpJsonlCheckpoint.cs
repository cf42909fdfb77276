using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.HttpJsonl.Reading;

/// <summary>
/// Where an <c>http-jsonl</c> source stands: the page not yet fully acknowledged and how many of its lines (blank and
/// dead-lettered ones included) are, so a resume re-reads at most that one page. After the last page (no
/// <c>rel="next"</c>) it stays on that page with its line count: the next sync asks for it again and reads only lines
/// added since, then follows a next link that may have appeared.
/// </summary>
/// <param name="Source">The configured first page (<c>source.url</c> with <c>page_size</c>): another one starts over.</param>
/// <param name="Url">The page to read next.</param>
/// <param name="Lines">Lines of <paramref name="Url"/> already acknowledged, skipped on resume.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record HttpJsonlCheckpoint(
    [property: JsonRequired] string Source,
    [property: JsonRequired] string Url,
    [property: JsonRequired] long Lines)
{
    public static JsonTypeInfo<HttpJsonlCheckpoint> Json => HttpJsonlCheckpointJsonContext.Default.HttpJsonlCheckpoint;

    public Checkpoint ToCheckpoint() => Checkpoint.Of(this, Json);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HttpJsonlCheckpoint))]
internal sealed partial class HttpJsonlCheckpointJsonContext : JsonSerializerContext;
