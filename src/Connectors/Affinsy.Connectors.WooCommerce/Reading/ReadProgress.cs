using Affinsy.Connectors.WooCommerce.Api;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.WooCommerce.Reading;

/// <summary>
/// How far a sync has read, for the progress line's ETA: orders read so far against those plus what the current query
/// still holds after this page (<c>X-WP-Total</c> minus the pages already answered). The keyset paging re-bases its
/// query on the last modification time it reached, so the total is re-read from every page rather than taken once.
/// </summary>
internal sealed class ReadProgress
{
    private long read;

    /// <summary>Counts a page's new orders; null when the store sent no <c>X-WP-Total</c>.</summary>
    /// <param name="result">The page as answered.</param>
    /// <param name="pageNumber">Its page number in the query it answered.</param>
    /// <param name="pageSize">The query's <c>per_page</c>.</param>
    /// <param name="fresh">Orders of the page not read before (the lookback and re-based queries repeat some).</param>
    public SourceProgress? After(WooOrderPage result, int pageNumber, int pageSize, int fresh)
    {
        read += fresh;
        if (result.Total < 0)
        {
            return null;
        }

        var answered = ((long)pageNumber - 1) * pageSize + result.Orders.Count;
        var total = read + Math.Max(0, result.Total - answered);
        return total > 0 ? new SourceProgress(read, total) : null;
    }
}
