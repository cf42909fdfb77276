using Affinsy.Core.State;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The contract for marking letters resolved (what <c>dead-letters replay</c> does with letters it sent or superseded).</summary>
public abstract partial class StateBackendContract
{
    [Fact]
    public async Task Resolving_marks_only_the_named_letters_of_the_pipeline_and_keeps_them_listed()
    {
        await using var state = await OpenAsync(Ct);
        await state.DeadLetters.WriteManyAsync("orders", [Letter(1), Letter(2), Letter(3)], Ct);
        await state.DeadLetters.WriteAsync("refunds", Letter(2), Ct);
        var at = Start.AddHours(2);

        var resolved = await state.DeadLetters.ResolveAsync("orders", [DeadLetterIdentity.Of("orders", Letter(2)), "00000000deadbeef", "not an id"], at, Ct);

        Assert.Equal(1, resolved);
        var orders = await ListAsync(state, "orders");
        Assert.Equal([null, at, null], orders.Select(l => l.ResolvedAt));
        Assert.Equal([Letter(1), Letter(2), Letter(3)], orders.Select(l => l.Letter));
        Assert.Null(Assert.Single(await ListAsync(state, "refunds")).ResolvedAt);
        Assert.Equal(at, (await state.DeadLetters.FindAsync(DeadLetterIdentity.Of("orders", Letter(2)), Ct))?.ResolvedAt);
    }

    [Fact]
    public async Task Resolving_again_changes_nothing_and_a_resolved_refusal_read_again_adds_no_letter()
    {
        var id = DeadLetterIdentity.Of("orders", Letter(1));
        await using (var first = await OpenAsync(Ct))
        {
            await first.DeadLetters.WriteManyAsync("orders", [Letter(1), Letter(2)], Ct);
            Assert.Equal(1, await first.DeadLetters.ResolveAsync("orders", [id], Start.AddHours(1), Ct));
        }

        // Another process (a second replay) resolves it again later, and a sync refuses the same record again.
        await using var second = await OpenAsync(Ct);
        Assert.Equal(0, await second.DeadLetters.ResolveAsync("orders", [id, id.ToUpperInvariant()], Start.AddHours(5), Ct));
        await second.DeadLetters.WriteAsync("orders", Letter(1) with { At = Start.AddDays(1) }, Ct);

        var letters = await ListAsync(second, "orders");
        Assert.Equal([Start.AddHours(1), null], letters.Select(l => l.ResolvedAt));
        Assert.Equal(2, await second.DeadLetters.CountAsync("orders", Ct));
        Assert.Equal(0, await second.DeadLetters.ResolveAsync("orders", [], Start, Ct));
    }

    private static async Task<List<StoredDeadLetter>> ListAsync(IStateBackend state, string pipeline)
    {
        var letters = new List<StoredDeadLetter>();
        await foreach (var stored in state.DeadLetters.ListAsync(pipeline, Ct))
        {
            letters.Add(stored);
        }

        return letters;
    }
}
