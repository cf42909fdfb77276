using Affinsy.Reference.Storage;
using Affinsy.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Affinsy.Reference.Tests.Storage;

public sealed class WalCheckpointerTests
{
    [Fact]
    public async Task A_committed_ingest_is_checkpointed_off_the_write_path_and_the_log_holds_nothing_left_to_copy()
    {
        using var dir = new TempDirectory();
        var token = TestContext.Current.CancellationToken;
        using var store = ReferenceStore.Open(dir.Path, TimeProvider.System);
        var rows = Enumerable.Range(0, 2_000).Select(i => new IngestRow($"o{i / 4}", "c1", null, $"P{i % 4}", 1.5, 2.0)).ToArray();

        await store.IngestAsync("local", null, "d", rows, token);
        await store.BackgroundCheckpoints!.WhenAtLeastAsync(1).WaitAsync(TimeSpan.FromMinutes(1), token);

        // SQLite's own automatic checkpoint is off on the writer (0 pages), so only the background one copied the log.
        using var probe = new SqliteConnection($"Data Source={dir.File("reference.db")};Pooling=False");
        probe.Open();
        using var check = probe.CreateCommand();
        check.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using (var reader = check.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(0, reader.GetInt32(0)); // not busy
            Assert.True(reader.GetInt32(1) > 0); // the ingest's frames are in the log...
            Assert.Equal(reader.GetInt32(1), reader.GetInt32(2)); // ...and every one of them is already in the database file
        }

        Assert.Equal(2_000, store.LoadLines("local", "d").Count);
    }
}
