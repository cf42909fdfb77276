using Affinsy.Core.Configuration;
using Affinsy.Core.State;
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
    public async Task Postgres_settings_are_refused_rather_than_silently_kept_in_sqlite()
    {
        var settings = new StateSettings { Path = _directory.File("state.db"), Provider = StateProvider.Postgres, ConnectionString = "Host=db" };

        var e = await Assert.ThrowsAsync<ConfigurationException>(() => StateStores.OpenSqliteAsync(settings, Time, Ct));

        Assert.Contains("PostgresStateBackend", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("state.db")));
    }

    public void Dispose() => _directory.Dispose();
}
