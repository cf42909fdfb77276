using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.State.Sqlite;
using Affinsy.Testing;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The contract on a SQLite file and JSONL dead letters.</summary>
public sealed class SqliteStateBackendTests : StateBackendContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    private StateSettings Settings => new() { Path = _directory.File("state/state.db") };

    protected override async Task<IStateBackend> OpenAsync(CancellationToken cancellationToken) =>
        await StateStores.OpenSqliteAsync(Settings, Time, cancellationToken);

    [Fact]
    public async Task History_lives_in_the_state_file_and_dead_letters_beside_it()
    {
        await using var state = await StateStores.OpenSqliteAsync(Settings, Time, Ct);
        await state.DeadLetters.WriteAsync("orders", Letter(1), Ct);

        Assert.Equal(_directory.File("state/state.db"), state.Path);
        Assert.Equal(_directory.File("state/dead-letters/orders.jsonl"), state.DeadLetters.LocationOf("orders"));
        Assert.True(File.Exists(state.DeadLetters.LocationOf("orders")));
        Assert.Contains(state.Path, state.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_file_from_before_skip_counts_gains_the_column_and_keeps_its_runs()
    {
        Directory.CreateDirectory(_directory.File("state"));
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_directory.File("state/state.db")};Pooling=false"))
        {
            await old.OpenAsync(Ct);
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE runs (run_id TEXT PRIMARY KEY NOT NULL, pipeline TEXT NOT NULL, worker TEXT NOT NULL, started_at TEXT NOT NULL,
                    finished_at TEXT, outcome TEXT NOT NULL, error TEXT, orders_read INTEGER NOT NULL, line_items_sent INTEGER NOT NULL,
                    dead_lettered INTEGER NOT NULL, heartbeat_at TEXT);
                INSERT INTO runs VALUES ('old', 'orders', 'host-1/123', '2026-11-25T02:00:00.0000000Z', '2026-11-25T02:01:00.0000000Z',
                    'completed', NULL, 5, 6, 7, NULL);
                """;
            await create.ExecuteNonQueryAsync(Ct);
        }

        await using var state = await StateStores.OpenSqliteAsync(Settings, Time, Ct);
        var skipped = new Affinsy.Core.Sources.SkipCounts();
        skipped.Add(Affinsy.Core.Sources.SkipReason.Test, 2);
        await state.History.RecordRunAsync(new RunRecord("new", "orders", "host-1/123", Start, Start, RunOutcome.Completed, null, 1, 1, 0, null, skipped), Ct);

        var runs = await state.History.RecentRunsAsync("orders", 10, Ct);
        Assert.Equal(["new", "old"], runs.Select(r => r.RunId));
        Assert.Equal(("2 test", 7L), (runs[0].Skipped!.Describe(), runs[1].DeadLettered));
        Assert.Null(runs[1].Skipped);
    }

    [Fact]
    public async Task Postgres_settings_are_refused_rather_than_silently_kept_in_sqlite()
    {
        var settings = new StateSettings { Path = _directory.File("state.db"), Provider = StateProvider.Postgres, ConnectionString = "Host=db" };

        var e = await Assert.ThrowsAsync<ConfigurationException>(() => StateStores.OpenSqliteAsync(settings, Time, Ct));

        Assert.Contains("PostgresStateBackend", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("state.db")));
    }

    [Fact]
    public void Postgres_from_yaml_is_refused_at_the_line_that_names_it()
    {
        var config = ConnectorsConfigLoader.Parse(
            "pipelines: []\nstate:\n  connection_string: \"Host=db\"\n  provider: postgres\n", "test.yaml", _directory.Path, new SourceRegistry(), _ => null);

        var e = Assert.Throws<ConfigurationException>(() => StateStores.OpenSqliteAsync(config.State, Time, Ct).GetAwaiter().GetResult());

        Assert.Contains("is not SQLite; open it with PostgresStateBackend", e.Message, StringComparison.Ordinal);
        var problem = Assert.Single(e.Problems);
        Assert.Equal(("state.provider", 4), (problem.Path, problem.Line));
    }

    public void Dispose() => _directory.Dispose();
}
