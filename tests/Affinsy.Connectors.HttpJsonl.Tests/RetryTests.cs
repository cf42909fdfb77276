using Affinsy.Core.Sources;
using Affinsy.Testing;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>429 and 5xx are retried on the injected clock, waiting what <c>Retry-After</c> asks; no real time passes.</summary>
public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_throttled_or_failing_page_is_asked_again_after_its_retry_after_on_the_clock(int status)
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(2, 3), Ct);
        var clock = new DrivenClock { ShortWait = TimeSpan.FromSeconds(30) };
        h.Clock = clock;
        h.Pages.Answer(2, status, "7");
        var started = clock.GetUtcNow();

        var read = ReadAllAsync(h.CreateSource());
        await DriveAsync(clock, read);
        var batches = await read;

        Assert.Equal(6, batches.Sum(b => b.Drafts.Count));
        Assert.Equal(2, h.Pages.RequestsFor(2));
        Assert.Equal(TimeSpan.FromSeconds(7), clock.GetUtcNow() - started);
    }

    [Fact]
    public async Task A_page_that_keeps_failing_fails_the_run_after_the_configured_attempts_saying_so()
    {
        await using var h = await SyncHarness.StartAsync(Orders.Pages(1, 3), Ct);
        var clock = new DrivenClock { ShortWait = TimeSpan.FromSeconds(30) };
        h.Clock = clock;
        h.Tune = o => o with { MaxAttempts = 3 };
        for (var i = 0; i < 3; i++)
        {
            h.Pages.Answer(1, 502);
        }

        var read = ReadAllAsync(h.CreateSource());
        await DriveAsync(clock, read);
        var e = await Assert.ThrowsAsync<HttpJsonlException>(() => read);

        Assert.Equal($"http-jsonl: {h.Pages.FirstPage} still answered HTTP 502 after 3 attempts: the endpoint is failing or throttling; the next sync resumes from the last acknowledged line", e.Message);
        Assert.Equal(3, h.Pages.RequestsFor(1));
    }

    private static async Task<List<OrderBatch>> ReadAllAsync(IOrderSource source)
    {
        var batches = new List<OrderBatch>();
        await foreach (var batch in source.ReadAsync(null, Ct))
        {
            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>Moves the clock to each wait the source arms, until it is done: the only way time passes.</summary>
    private static async Task DriveAsync(DrivenClock clock, Task work)
    {
        while (!work.IsCompleted)
        {
            var armed = clock.NextArming;
            if (clock.NextWait() is { } due)
            {
                clock.Advance(due - clock.GetUtcNow());
                continue;
            }

            await Task.WhenAny(work, armed).WaitAsync(Ct);
        }
    }
}
