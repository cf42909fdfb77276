using Affinsy.Core.Configuration;
using Affinsy.Host.Operations;
using Affinsy.State.Sqlite;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>
/// The Host chooses the backend <c>state.provider</c> names; the PostgreSQL opener's own messages are pinned in
/// <c>Affinsy.State.Tests</c>, here only that the choice reaches each backend.
/// </summary>
public sealed class StateBackendsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-backends-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Provider_sqlite_opens_the_sqlite_file()
    {
        await using var state = await StateBackends.OpenAsync(new StateSettings { Path = Path.Combine(_directory, "state.db") }, TimeProvider.System, Ct);

        Assert.IsType<SqliteStateBackend>(state);
        Assert.True(File.Exists(Path.Combine(_directory, "state.db")));
    }

    [Fact]
    public async Task Provider_postgres_goes_to_postgres_and_creates_no_sqlite_file()
    {
        var settings = new StateSettings { Provider = StateProvider.Postgres, Path = Path.Combine(_directory, "state.db") };

        var e = await Assert.ThrowsAsync<ConfigurationException>(() => StateBackends.OpenAsync(settings, TimeProvider.System, Ct));

        Assert.Contains("needs a connection string", Assert.Single(e.Problems).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "state.db")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
