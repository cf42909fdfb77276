namespace Affinsy.Connectors.HttpJsonl.Http;

/// <summary>One page answered 2xx with a JSON Lines body: its body, its <c>rel="next"</c> and when its data was last changed.</summary>
internal sealed class Page(HttpResponseMessage response, Stream body, Uri url, Uri? next, DateTimeOffset dataTime) : IDisposable
{
    public Uri Url => url;

    public Stream Body => body;

    /// <summary>The next page (RFC 8288 <c>rel="next"</c>), null on the last page.</summary>
    public Uri? Next => next;

    /// <summary>The page's <c>Last-Modified</c>, else when it was fetched: how new its orders are (checkpoint lag).</summary>
    public DateTimeOffset DataTime => dataTime;

    public string? ContentType => response.Content.Headers.ContentType?.ToString();

    public void Dispose()
    {
        body.Dispose();
        response.Dispose();
    }
}
