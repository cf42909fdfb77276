using Affinsy.Reference.Http;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Affinsy.Reference.Storage;

/// <summary>
/// Checkpoints the reference database's write-ahead log from a connection and a task of its own, so that no request
/// holding the writer lock copies pages into the database file or waits for their fsync. SQLite's automatic checkpoint
/// (every 1,000 WAL pages, run by the committing connection inside the commit) is turned off on the writer; instead each
/// committed write wakes this task, which runs a PASSIVE checkpoint: it copies what the WAL holds without blocking the
/// writer or the readers, and wakes calls arriving meanwhile coalesce into one more. Durability is the same as before
/// (<c>synchronous = NORMAL</c>: the WAL is synced when a checkpoint runs, now after every burst of writes rather than
/// every 1,000 pages), and the WAL restarts from its beginning once a checkpoint has copied all of it. The last
/// connection's close checkpoints whatever is left, as before.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Turns SQLite's automatic checkpoint off on the writer and takes over from it.</summary>
    public WalCheckpointer(SqliteConnection writer, string connectionString)
    {
        using (var off = writer.CreateCommand())
        {
            off.CommandText = "PRAGMA wal_autocheckpoint = 0";
            off.ExecuteNonQuery();
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        _connection.Open();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The checkpoints that ran, for tests.</summary>
    public CountSignal Checkpoints { get; } = new();

    /// <summary>A write committed: checkpoint soon (calls while one is pending or running coalesce).</summary>
    public void Committed()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit woke it between the check and the release: one checkpoint serves both.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _connection.Dispose();
        _wake.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var db = _connection.Handle!;
        while (true)
        {
            await _wake.WaitAsync(_stop.Token).ConfigureAwait(false);

            // The result is not checked: a checkpoint that could not copy everything (SQLITE_BUSY, a reader holding an old
            // snapshot) or failed leaves those frames in the WAL, where every reader still finds them, for the next one
            // or the close to copy.
            _ = raw.sqlite3_wal_checkpoint_v2(db, null, raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
            Checkpoints.Increment();
        }
    }
}
