using Affinsy.Connectors.HttpJsonl.Reading;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>Full syncs: page server -> http-jsonl -> the real pipeline and sink -> the reference Affinsy server.</summary>
public sealed class PagedSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_order_of_every_page_lands_exactly_once_and_a_second_sync_sends_nothing()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(3, 5), Ct);
        // The last page's body ends without a newline: the body is complete, so its last line is still a record.
        h.Pages.EndsWithNewline = page => page != 3;

        var first = await h.SyncAsync(Ct, h.Options("batch_max_orders: 2"));
        var second = await h.SyncAsync(Ct, h.Options("batch_max_orders: 2"));

        Assert.Equal(SyncOutcome.Completed, first.Outcome);
        Assert.Equal(15, first.OrdersRead);
        Assert.Equal(Orders.Expected(3, 5), h.Landed());
        Assert.Equal(SyncOutcome.Completed, second.Outcome);
        Assert.Equal(0, second.OrdersRead);
        var stored = (await h.Checkpoints.GetAsync(SyncHarness.Pipeline, Ct))!.As(HttpJsonlCheckpoint.Json);
        Assert.Equal((h.Pages.PageUrl(3).OriginalString, 5L), (stored.Url, stored.Lines));
        Assert.Equal([1, 1, 2], [h.Pages.RequestsFor(1), h.Pages.RequestsFor(2), h.Pages.RequestsFor(3)]);
    }

    [Fact]
    public async Task Resuming_mid_page_skips_the_acknowledged_lines_of_that_page_and_never_asks_for_earlier_pages()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(3, 5), Ct);
        var options = h.Options();
        await h.Checkpoints.SaveAsync(
            SyncHarness.Pipeline, new HttpJsonlCheckpoint(options.FirstPage.OriginalString, h.Pages.PageUrl(2).OriginalString, 2).ToCheckpoint(), Ct);

        var result = await h.SyncAsync(Ct, options);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(Orders.Expected(3, 5, firstPage: 2, firstLine: 3), h.Landed());
        Assert.Equal(0, h.Pages.RequestsFor(1));
    }

    [Fact]
    public async Task A_line_that_is_not_json_is_dead_lettered_with_its_page_and_line_and_the_rest_lands()
    {
        var pages = Orders.Pages(2, 4);
        pages[1][2] = "{\"order_id\": \"p2-3\", \"line_items\": [";
        await using var h = await SyncHarness.StartAsync(pages, Ct);

        var result = await h.SyncAsync(Ct);

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var letter = Assert.Single(await h.LettersAsync(Ct));
        Assert.Equal($"{h.Pages.PageUrl(2)} line 3", letter.Position);
        Assert.Equal(pages[1][2], letter.OriginalRecord);
        Assert.Contains("not valid JSON", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(Orders.Expected(2, 4).Where(r => r.OrderId != "p2-3"), h.Landed());
    }

    [Fact]
    public async Task A_missing_first_page_fails_the_run_naming_the_url_and_what_to_check_and_saves_no_checkpoint()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(1, 3), Ct);
        h.Pages.Answer(1, 404);

        var result = await h.SyncAsync(Ct);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains($"{h.Pages.FirstPage} does not exist (HTTP 404): check source.url", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Error, StringComparison.Ordinal);
        Assert.Null(await h.Checkpoints.GetAsync(SyncHarness.Pipeline, Ct));
        Assert.Empty(h.Landed());
    }

    [Fact]
    public async Task A_page_that_is_not_json_lines_fails_the_run_naming_the_type_found()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(1, 3), Ct);
        h.Pages.ContentType = "text/html; charset=utf-8";

        var result = await h.SyncAsync(Ct);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains($"{h.Pages.FirstPage} answered 'text/html', not JSON Lines; point source.url at", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_header_is_sent_but_never_reaches_a_log_a_dead_letter_a_checkpoint_or_an_error()
    {
        const string secret = "s3cr3t-token-5d1f";
        var pages = Orders.Pages(2, 3);
        pages[0][1] = "not json " + "at all";
        await using var h = await SyncHarness.StartAsync(pages, Ct);
        h.Pages.RequiredAuthorization = "Bearer " + secret;
        h.Pages.Answer(2, 503, "0");
        var logs = new CollectingLoggers();
        h.Loggers = logs;
        var env = new Dictionary<string, string> { ["FEED_TOKEN"] = secret };

        var result = await h.SyncAsync(Ct, h.Options("headers: { Authorization: \"Bearer ${FEED_TOKEN}\" }", env));
        var refused = await h.SyncAsync(Ct, h.Options("headers: { Authorization: \"Bearer wrong\" }"));

        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(5, result.OrdersRead);
        Assert.Contains(logs.Lines, l => l.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.Single(await h.LettersAsync(Ct));
        Assert.Equal(SyncOutcome.Failed, refused.Outcome);
        Assert.Contains("HTTP 401): check the credentials in source.headers", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, h.StateText(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refused.Error + result.Error, StringComparison.Ordinal);
    }
}
