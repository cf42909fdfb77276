using Affinsy.State.Tests;
using Affinsy.Testing.Postgres;
using Xunit;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

namespace Affinsy.State.Tests;

/// <summary>One PostgreSQL server for the whole test run, started lazily; each test gets a fresh database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly PostgresServer _server = new();

    /// <summary>A connection string to a new, empty database, or the test is skipped with the reason there is none.</summary>
    public async Task<string> CreateDatabaseOrSkipAsync(CancellationToken cancellationToken)
    {
        var connectionString = await _server.CreateDatabaseAsync(cancellationToken);
        if (connectionString is null)
        {
            Assert.Skip(_server.SkipReason ?? "no PostgreSQL server for the tests");
        }

        return connectionString;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
