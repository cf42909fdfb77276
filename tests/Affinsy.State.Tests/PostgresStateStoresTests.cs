using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.State.Postgres;
using Affinsy.Testing;
using Npgsql;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>Opening PostgreSQL from the <c>state:</c> section, and the messages when it cannot be used.</summary>
public sealed class PostgresStateStoresTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Provider_postgres_opens_the_database_the_connection_string_names()
    {
        var connectionString = await postgres.CreateDatabaseOrSkipAsync(Ct);

        await using var state = await PostgresStateStores.OpenAsync(Postgres(connectionString), TimeProvider.System, Ct);

        await state.PingAsync(Ct);
        Assert.StartsWith("PostgreSQL ", state.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_settings_are_refused_rather_than_opened_as_postgres()
    {
        var settings = new StateSettings { Path = _directory.File("state.db") };

        await Assert.ThrowsAsync<ArgumentException>(() => PostgresStateStores.OpenAsync(settings, TimeProvider.System, Ct));

        Assert.False(File.Exists(_directory.File("state.db")));
    }

    [Fact]
    public async Task A_malformed_connection_string_is_a_configuration_error_at_state_connection_string_that_never_quotes_it()
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => PostgresStateStores.OpenAsync(Postgres("Host=db;Pasword=s3cret-pw"), TimeProvider.System, Ct));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(("connectors.yaml", "state.connection_string"), (problem.File, problem.Path));
        Assert.Contains("not a valid PostgreSQL connection string", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_string_is_a_configuration_error()
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => PostgresStateStores.OpenAsync(Postgres(null), TimeProvider.System, Ct));

        Assert.Contains("needs a connection string", Assert.Single(e.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_login_says_which_user_where_and_to_check_the_password_without_quoting_it()
    {
        var at = PostgresLocation.Of(new NpgsqlConnectionStringBuilder("Host=db.internal;Port=5433;Database=affinsy;Username=worker;Password=s3cret-pw"));
        var refused = new PostgresException("password authentication failed for user \"worker\"", "FATAL", "FATAL", "28P01");

        var e = PostgresFailure.Explain(refused, at);

        Assert.NotNull(e);
        Assert.Contains("PostgreSQL at db.internal:5433 refused the login of user 'worker' to database 'affinsy'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Check Username and Password", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private StateSettings Postgres(string? connectionString) => new()
    {
        Provider = StateProvider.Postgres,
        Path = _directory.File("state.db"),
        ConnectionString = connectionString,
        ProviderLocation = new ConfigProblem("connectors.yaml", 7, 0, "state.provider", string.Empty),
    };
}
