using System.Runtime.CompilerServices;
using Affinsy.Connectors.HttpJsonl.Http;
using Affinsy.Connectors.HttpJsonl.Reading;
using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.HttpJsonl;

/// <summary>
/// Reads a paged JSON Lines endpoint: <c>source.url</c>, then each page's <c>Link: &lt;...&gt;; rel="next"</c> until a
/// page has none. Every line is one order in the <c>jsonl</c> source's line format. Batches never span pages; each
/// carries the checkpoint (page, lines of it done) that is safe once it is acknowledged, and a page that ends moves
/// the checkpoint to the next page at line 0. Normalizing and dead-lettering are the pipeline's.
/// </summary>
internal sealed partial class HttpJsonlOrderSource(HttpJsonlSourceOptions options, PageClient pages, TimeProvider time, ILogger logger)
    : IOrderSource, ICheckableSource
{
    public const string Type = "http-jsonl";

    /// <summary>The options it was bound with (what <c>validate</c> and tests look at).</summary>
    public HttpJsonlSourceOptions Options => options;

    public async IAsyncEnumerable<OrderBatch> ReadAsync(Checkpoint? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var source = options.FirstPage.OriginalString;
        var (url, skip, via) = (options.FirstPage, 0L, PageVia.Configured);
        if (from?.As(HttpJsonlCheckpoint.Json) is { } stored)
        {
            if (stored.Source == source && Uri.TryCreate(stored.Url, UriKind.Absolute, out var resume))
            {
                (url, skip, via) = (resume, stored.Lines, PageVia.Checkpoint);
            }
            else
            {
                LogStartOver(logger, UrlText.Show(options.FirstPage));
            }
        }

        var batch = new PageBatch(Type, options.Lines);
        while (true)
        {
            using var page = await pages.OpenAsync(url, via, cancellationToken);
            var shown = UrlText.Show(url);
            using var lines = new PageLines(page.Body, options.MaxLineBytes, options.RequestTimeout, time);
            while (await ReadLineAsync(lines, shown, cancellationToken))
            {
                if (lines.Number <= skip || IsBlank(lines.Line))
                {
                    continue;
                }

                batch.Add(lines.Line, lines.IsOversized, shown, lines.Number, page.DataTime);
                if (batch.Orders >= options.BatchMaxOrders)
                {
                    yield return batch.Take(At(source, url, lines.Number));
                }
            }

            if (lines.Number < skip)
            {
                LogPageShrank(logger, shown, lines.Number, skip);
            }

            if (page.Next is not { } next)
            {
                // The last page: stay on it, so lines appended later are read by the next sync. A page that shrank
                // counts what it holds now: re-sending a line is an upsert, skipping one would lose it.
                yield return batch.Take(At(source, url, lines.Number));
                yield break;
            }

            if (next == url)
            {
                throw new HttpJsonlException($"http-jsonl: {shown} names itself as its next page (Link rel=\"next\"); the endpoint's paging is broken: report it to its owner");
            }

            yield return batch.Take(At(source, next, 0));
            (url, skip, via) = (next, 0, PageVia.Link);
        }
    }

    /// <summary>Reaches the first page (credentials, content type) and reads its first order, as a sync would.</summary>
    public async Task<IReadOnlyList<CheckFinding>> CheckAsync(CancellationToken cancellationToken)
    {
        using var page = await pages.OpenAsync(options.FirstPage, PageVia.Configured, cancellationToken);
        using var lines = new PageLines(page.Body, options.MaxLineBytes, options.RequestTimeout, time);
        var batch = new PageBatch(Type, options.Lines);
        var shown = UrlText.Show(options.FirstPage);
        while (batch.IsEmpty && await ReadLineAsync(lines, shown, cancellationToken))
        {
            if (!IsBlank(lines.Line))
            {
                batch.Add(lines.Line, lines.IsOversized, shown, lines.Number, page.DataTime);
            }
        }

        var first = batch.Take(null);
        var detail = first.Refusals.Count > 0
            ? $"answered {page.ContentType}; its first line would be dead-lettered: {first.Refusals[0].Reason}"
            : first.Drafts.Count > 0 ? $"answered {page.ContentType}; its first line is order '{first.Drafts[0].OrderId}'" : $"answered {page.ContentType}; it holds no orders yet";
        var paging = page.Next is null ? "no next page" : "a next page (Link rel=\"next\")";
        return [new CheckFinding("first page", true, $"{shown} {detail}; {paging}")];
    }

    private static Checkpoint At(string source, Uri url, long lines) => new HttpJsonlCheckpoint(source, url.OriginalString, lines).ToCheckpoint();

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t"u8).IsEmpty;

    /// <summary>The next line; a body that breaks off mid-page fails the run (the checkpoint stays where it was acknowledged).</summary>
    private static async ValueTask<bool> ReadLineAsync(PageLines lines, string shown, CancellationToken cancellationToken)
    {
        try
        {
            return await lines.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpJsonlException($"http-jsonl: the body of {shown} broke off after line {lines.Number} ({e.Message}); the next sync resumes from the last acknowledged line", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored checkpoint is for another source.url than {Url}: reading from its first page.")]
    private static partial void LogStartOver(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Page} now has {Lines} lines, fewer than the {Acknowledged} already acknowledged: the endpoint rewrote it, and none of it was sent again.")]
    private static partial void LogPageShrank(ILogger logger, string page, long lines, long acknowledged);
}
