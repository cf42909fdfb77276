using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>
/// A paged JSON Lines endpoint on loopback Kestrel, paging as GitHub's REST API does
/// (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api): <c>?page=N</c>, a
/// <c>Link</c> header with absolute <c>prev</c>/<c>next</c>/<c>last</c>/<c>first</c> targets, none on the last page.
/// Answers can be scripted per page (a 503 with <c>Retry-After</c>, a 404, another content type).
/// </summary>
internal sealed class PageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, ConcurrentQueue<(int Status, string? RetryAfter)>> _scripted = new();

    private PageServer(WebApplication app, List<string[]> pages)
    {
        _app = app;
        Pages = pages;
    }

    /// <summary>Each page's lines, page 1 first.</summary>
    public List<string[]> Pages { get; }

    /// <summary>Whether a page's body ends with a newline (default: every page but the last).</summary>
    public Func<int, bool> EndsWithNewline { get; set; } = page => true;

    public string ContentType { get; set; } = "application/jsonl";

    /// <summary>When set, a request without exactly this Authorization header is answered 401.</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requested { get; } = new();

    public Uri FirstPage { get; private set; } = null!;

    public Uri PageUrl(int page) => new(FirstPage, "/orders?page=" + page.ToString(CultureInfo.InvariantCulture));

    public static async Task<PageServer> StartAsync(List<string[]> pages, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new PageServer(app, pages);
        app.MapGet("/orders", server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.FirstPage = new Uri(address.TrimEnd('/') + "/orders");
        return server;
    }

    /// <summary>The next request for <paramref name="page"/> is answered <paramref name="status"/> with an empty body.</summary>
    public void Answer(int page, int status, string? retryAfter = null) =>
        _scripted.GetOrAdd(page, _ => new()).Enqueue((status, retryAfter));

    public int RequestsFor(int page) => Requested.Count(r => PageOf(r) == page);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static int PageOf(string pathAndQuery)
    {
        var query = pathAndQuery.Contains('?', StringComparison.Ordinal) ? pathAndQuery[(pathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        var page = query.Split('&').FirstOrDefault(p => p.StartsWith("page=", StringComparison.Ordinal));
        return page is null ? 1 : int.Parse(page[5..], CultureInfo.InvariantCulture);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var pathAndQuery = http.Request.Path + http.Request.QueryString;
        Requested.Enqueue(pathAndQuery);
        var page = PageOf(pathAndQuery);
        if (RequiredAuthorization is not null && http.Request.Headers.Authorization.ToString() != RequiredAuthorization)
        {
            http.Response.StatusCode = 401;
            return;
        }

        if (_scripted.TryGetValue(page, out var queue) && queue.TryDequeue(out var answer))
        {
            http.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null)
            {
                http.Response.Headers.RetryAfter = answer.RetryAfter;
            }

            return;
        }

        if (page < 1 || page > Pages.Count)
        {
            http.Response.StatusCode = 404;
            return;
        }

        var links = new List<string>();
        if (page > 1)
        {
            links.Add($"<{PageUrl(page - 1)}>; rel=\"prev\"");
        }

        if (page < Pages.Count)
        {
            links.Add($"<{PageUrl(page + 1)}>; rel=\"next\"");
            links.Add($"<{PageUrl(Pages.Count)}>; rel=\"last\"");
        }

        if (links.Count > 0)
        {
            links.Add($"<{PageUrl(1)}>; rel=\"first\"");
            http.Response.Headers["Link"] = string.Join(", ", links);
        }

        http.Response.ContentType = ContentType;
        var body = string.Join("\n", Pages[page - 1]) + (EndsWithNewline(page) ? "\n" : "");
        await http.Response.WriteAsync(body, http.RequestAborted);
    }
}
