using Affinsy.Core.Sources;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary><c>affinsy-connect check</c> reaches the first page and reads its first order, nothing more.</summary>
public sealed class CheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_reads_the_first_order_of_the_first_page_and_says_whether_more_pages_follow()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(2, 3), Ct);

        var finding = Assert.Single(await SourceCheck.RunAsync(h.CreateSource(), Ct));

        Assert.True(finding.Passed);
        Assert.Equal($"{h.Pages.FirstPage} answered application/jsonl; its first line is order 'p1-1'; a next page (Link rel=\"next\")", finding.Detail);
        Assert.Equal(0, h.Pages.RequestsFor(2));
    }

    [Fact]
    public async Task Check_fails_as_a_sync_would_when_the_credentials_are_refused()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(1, 3), Ct);
        h.Pages.RequiredAuthorization = "Bearer right";

        var e = await Assert.ThrowsAsync<HttpJsonlException>(() => SourceCheck.RunAsync(h.CreateSource(h.Options("headers: { Authorization: Bearer wrong }")), Ct));

        Assert.Equal($"http-jsonl: {h.Pages.FirstPage} refused the request (HTTP 401): check the credentials in source.headers (and that they may read this endpoint)", e.Message);
    }
}
