using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The order ledger's contract, the same for SQLite and PostgreSQL.</summary>
public abstract partial class StateBackendContract
{
    [Fact]
    public async Task The_ledger_finds_what_was_recorded_and_the_last_record_of_an_order_wins()
    {
        await using (var first = await OpenAsync(Ct))
        {
            await first.Ledger.RecordAsync("orders", "shop", [new("o-1", 11, 2), new("o-2", 22, 3), new("é ✓ \"o\"", 33, 1)], Ct);
            await first.Ledger.RecordAsync("orders", "shop", [new("o-2", 23, 4), new("o-2", -24, 5)], Ct);
        }

        // Read back by another process: durable, and keyed by pipeline and dataset.
        await using var state = await OpenAsync(Ct);
        await state.Ledger.RecordAsync("orders", "other-dataset", [new("o-1", 99, 1)], Ct);
        await state.Ledger.RecordAsync("refunds", "shop", [new("o-1", 98, 1)], Ct);

        var found = await state.Ledger.FindAsync("orders", "shop", ["o-1", "o-2", "é ✓ \"o\"", "o-404"], Ct);

        Assert.Equal(new Dictionary<string, long> { ["o-1"] = 11, ["o-2"] = -24, ["é ✓ \"o\""] = 33 }, found);
        Assert.Equal(new LedgerTotals(3, 8), await state.Ledger.TotalsAsync("orders", "shop", Ct));
        Assert.Empty(await state.Ledger.FindAsync("orders", "shop", [], Ct));
    }

    [Fact]
    public async Task Clearing_a_pipelines_ledger_leaves_other_pipelines_alone()
    {
        await using var state = await OpenAsync(Ct);
        await state.Ledger.RecordAsync("orders", "shop", [new("o-1", 1, 1)], Ct);
        await state.Ledger.RecordAsync("orders", "archive", [new("o-1", 1, 1)], Ct);
        await state.Ledger.RecordAsync("refunds", "shop", [new("o-1", 1, 1)], Ct);

        await state.Ledger.ClearAsync("orders", Ct);

        Assert.Equal(new LedgerTotals(0, 0), await state.Ledger.TotalsAsync("orders", "shop", Ct));
        Assert.Equal(new LedgerTotals(0, 0), await state.Ledger.TotalsAsync("orders", "archive", Ct));
        Assert.Equal(new LedgerTotals(1, 1), await state.Ledger.TotalsAsync("refunds", "shop", Ct));
    }

    [Fact]
    public async Task Forgetting_what_was_delivered_resets_the_checkpoint_before_the_ledger_is_cleared()
    {
        await using var state = await OpenAsync(Ct);
        await state.Checkpoints.SaveAsync("orders", new Checkpoint("""{"line":42}"""), Ct);
        await state.Ledger.RecordAsync("orders", "shop", [new("o-1", 1, 3)], Ct);

        // A process stopped between the two writes: the ledger's clear never happens.
        var stopped = new StoppedBeforeClearing(state.Ledger);
        await Assert.ThrowsAsync<OperationCanceledException>(() => DeliveredState.ForgetAsync(state.Checkpoints, stopped, "orders", Ct));

        // The next sync reads from the beginning, and the whole ledger is checked against the dataset before it is trusted.
        Assert.Null(await state.Checkpoints.GetAsync("orders", Ct));
        Assert.Equal(new LedgerTotals(1, 3), await state.Ledger.TotalsAsync("orders", "shop", Ct));

        await DeliveredState.ForgetAsync(state.Checkpoints, state.Ledger, "orders", Ct);
        Assert.Equal(new LedgerTotals(0, 0), await state.Ledger.TotalsAsync("orders", "shop", Ct));
    }

    [Fact]
    public async Task A_batch_of_many_ids_is_looked_up_in_one_call()
    {
        await using var state = await OpenAsync(Ct);
        var entries = Enumerable.Range(0, 5000).Select(i => new LedgerEntry($"o-{i}", i * 7L, 1 + (i % 4))).ToList();
        await state.Ledger.RecordAsync("orders", "shop", entries, Ct);

        var found = await state.Ledger.FindAsync("orders", "shop", [.. Enumerable.Range(2500, 5000).Select(i => $"o-{i}")], Ct);

        Assert.Equal(2500, found.Count);
        Assert.All(found, f => Assert.Equal(int.Parse(f.Key.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture) * 7L, f.Value));
    }

    /// <summary>A ledger whose process stops as it is asked to clear.</summary>
    private sealed class StoppedBeforeClearing(IOrderLedger inner) : IOrderLedger
    {
        public Task<IReadOnlyDictionary<string, long>> FindAsync(string pipeline, string datasetId, IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken) =>
            inner.FindAsync(pipeline, datasetId, orderIds, cancellationToken);

        public Task RecordAsync(string pipeline, string datasetId, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken) =>
            inner.RecordAsync(pipeline, datasetId, entries, cancellationToken);

        public Task<LedgerTotals> TotalsAsync(string pipeline, string datasetId, CancellationToken cancellationToken) =>
            inner.TotalsAsync(pipeline, datasetId, cancellationToken);

        public Task ClearAsync(string pipeline, CancellationToken cancellationToken) => throw new OperationCanceledException("stopped");
    }
}
