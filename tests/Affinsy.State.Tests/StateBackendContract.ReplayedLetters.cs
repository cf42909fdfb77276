using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The ids of replayed queue letters: kept per pipeline, across a reopen, seen by every opener, recorded once.</summary>
public abstract partial class StateBackendContract
{
    [Fact]
    public async Task Replayed_letter_ids_survive_a_reopen_and_are_kept_per_pipeline()
    {
        await using (var first = await OpenAsync(Ct))
        {
            Assert.Empty(await first.ReplayedLetters.WhichReplayedAsync("orders", ["orders/orders/0@5"], Ct));
            await first.ReplayedLetters.RecordReplayedAsync("orders", ["orders/orders/0@5", "orders/orders/1@7"], Start, Ct);
        }

        await using var restarted = await OpenAsync(Ct);

        Assert.Equal(
            ["orders/orders/0@5", "orders/orders/1@7"],
            (await restarted.ReplayedLetters.WhichReplayedAsync("orders", ["orders/orders/1@7", "orders/orders/0@5", "orders/orders/2@1"], Ct)).Order(StringComparer.Ordinal));
        Assert.Empty(await restarted.ReplayedLetters.WhichReplayedAsync("returns", ["orders/orders/0@5"], Ct));
        Assert.Empty(await restarted.ReplayedLetters.WhichReplayedAsync("orders", [], Ct));
    }

    [Fact]
    public async Task Recording_an_id_again_from_another_opener_changes_nothing_and_both_see_it()
    {
        await using var a = await OpenAsync(Ct);
        await using var b = await OpenAsync(Ct);

        await a.ReplayedLetters.RecordReplayedAsync("orders", ["p/t/0@1"], Start, Ct);
        await b.ReplayedLetters.RecordReplayedAsync("orders", ["p/t/0@1", "p/t/0@1", "p/t/0@2"], Start.AddMinutes(1), Ct);
        await b.ReplayedLetters.RecordReplayedAsync("orders", [], Start, Ct);

        Assert.Equal(["p/t/0@1", "p/t/0@2"], (await a.ReplayedLetters.WhichReplayedAsync("orders", ["p/t/0@1", "p/t/0@2"], Ct)).Order(StringComparer.Ordinal));
        Assert.Single(await b.ReplayedLetters.WhichReplayedAsync("orders", ["p/t/0@1"], Ct));
    }
}
