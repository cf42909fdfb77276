using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.State.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Affinsy.State.Tests.Sqlite;

public sealed class SqliteCheckpointStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-state-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 15, 10, 30, 0, TimeSpan.Zero));

    private string DbPath => Path.Combine(_directory, "nested", "state.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_saved_checkpoint_reads_back_with_its_write_time()
    {
        var token = TestContext.Current.CancellationToken;
        await using var store = await SqliteCheckpointStore.OpenAsync(DbPath, _time, token);

        await store.SaveAsync("shop", new Checkpoint("""{"offset":42}"""), token);

        Assert.Equal(new Checkpoint("""{"offset":42}"""), await store.GetAsync("shop", token));
        Assert.Null(await store.GetAsync("other", token));
        var entry = Assert.Single(await store.ListAsync(token));
        Assert.Equal(new CheckpointEntry("shop", new Checkpoint("""{"offset":42}"""), _time.GetUtcNow()), entry);
    }

    [Fact]
    public async Task Saving_again_replaces_the_checkpoint_and_its_time()
    {
        var token = TestContext.Current.CancellationToken;
        await using var store = await SqliteCheckpointStore.OpenAsync(DbPath, _time, token);
        await store.SaveAsync("shop", new Checkpoint("first"), token);
        _time.Advance(TimeSpan.FromMinutes(5));

        await store.SaveAsync("shop", new Checkpoint("second"), token);

        var entry = Assert.Single(await store.ListAsync(token));
        Assert.Equal("second", entry.Checkpoint.Value);
        Assert.Equal(_time.GetUtcNow(), entry.UpdatedAt);
    }

    [Fact]
    public async Task Reset_forgets_one_pipeline_only()
    {
        var token = TestContext.Current.CancellationToken;
        await using var store = await SqliteCheckpointStore.OpenAsync(DbPath, _time, token);
        await store.SaveAsync("a", new Checkpoint("1"), token);
        await store.SaveAsync("b", new Checkpoint("2"), token);

        await store.ResetAsync("a", token);

        Assert.Null(await store.GetAsync("a", token));
        Assert.Equal("2", (await store.GetAsync("b", token))!.Value);
    }

    [Fact]
    public async Task Checkpoints_survive_closing_and_reopening_the_file()
    {
        var token = TestContext.Current.CancellationToken;
        await using (var store = await SqliteCheckpointStore.OpenAsync(DbPath, _time, token))
        {
            await store.SaveAsync("shop", new Checkpoint("kept"), token);
        }

        await using var reopened = await SqliteCheckpointStore.OpenAsync(DbPath, _time, token);

        Assert.Equal("kept", (await reopened.GetAsync("shop", token))!.Value);
    }

    [Fact]
    public async Task A_write_in_another_transaction_that_never_commits_leaves_the_old_checkpoint()
    {
        var token = TestContext.Current.CancellationToken;
        await using var store = await SqliteCheckpointStore.OpenAsync(DbPath, _time, token);
        await store.SaveAsync("shop", new Checkpoint("old"), token);

        // A writer that dies mid-transaction (as in a crash) must not leave a torn or half-written value.
        await using (var crashing = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            await crashing.OpenAsync(token);
            await using var transaction = (SqliteTransaction)await crashing.BeginTransactionAsync(token);
            await using var command = crashing.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE checkpoints SET value = 'torn' WHERE pipeline = 'shop'";
            await command.ExecuteNonQueryAsync(token);
        }

        Assert.Equal("old", (await store.GetAsync("shop", token))!.Value);
    }

    [Fact]
    public async Task The_database_uses_write_ahead_logging()
    {
        var token = TestContext.Current.CancellationToken;
        await using (var store = await SqliteCheckpointStore.OpenAsync(DbPath, _time, token))
        {
            await store.SaveAsync("shop", new Checkpoint("x"), token);
        }

        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync(token);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(token));
    }
}
