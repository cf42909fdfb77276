using Affinsy.Connectors.HttpJsonl.Reading;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>What each batch's checkpoint says: the page not yet fully acknowledged and how many of its lines are.</summary>
public sealed class CheckpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Batches_end_at_page_ends_and_an_ended_page_moves_the_checkpoint_to_the_next_page_at_line_zero()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(2, 5), Ct);

        var batches = await ReadAsync(h.CreateSource(h.Options("batch_max_orders: 2")), null);

        Assert.Equal(
            [(1, 2L, 2), (1, 4L, 2), (2, 0L, 1), (2, 2L, 2), (2, 4L, 2), (2, 5L, 1)],
            batches.Select(b => (Page(h, b.Checkpoint!), b.Checkpoint!.As(HttpJsonlCheckpoint.Json).Lines, b.Drafts.Count)));
    }

    [Fact]
    public async Task A_checkpoint_of_another_first_page_starts_over_from_source_url()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(2, 2), Ct);
        var other = new HttpJsonlCheckpoint("https://elsewhere.example.com/orders", h.Pages.PageUrl(2).OriginalString, 1).ToCheckpoint();

        var batches = await ReadAsync(h.CreateSource(), other);

        Assert.Equal(4, batches.Sum(b => b.Drafts.Count));
        Assert.Equal(1, h.Pages.RequestsFor(1));
    }

    [Fact]
    public async Task A_checkpoint_of_another_source_type_is_unreadable_and_names_the_reset_command()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(1, 1), Ct);

        var e = await Assert.ThrowsAsync<UnreadableCheckpointException>(() => ReadAsync(h.CreateSource(), new Checkpoint("""{"path":"x.jsonl","offset":3}""")));

        Assert.Contains("is not a HttpJsonlCheckpoint", e.Message, StringComparison.Ordinal);
        Assert.Contains("affinsy-connect state reset", e.Message, StringComparison.Ordinal);
    }

    private static int Page(SyncHarness h, Checkpoint checkpoint)
    {
        var url = checkpoint.As(HttpJsonlCheckpoint.Json).Url;
        return url == h.Pages.FirstPage.OriginalString ? 1 : int.Parse(url[(url.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<OrderBatch>> ReadAsync(IOrderSource source, Checkpoint? from)
    {
        var batches = new List<OrderBatch>();
        await foreach (var batch in source.ReadAsync(from, Ct))
        {
            batches.Add(batch);
        }

        return batches;
    }
}
