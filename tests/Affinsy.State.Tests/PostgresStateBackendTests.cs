using System.Net;
using System.Net.Sockets;
using Affinsy.Core.State;
using Affinsy.State.Postgres;
using Npgsql;
using Xunit;

namespace Affinsy.State.Tests;

/// <summary>The contract on PostgreSQL, plus what only a server can get wrong: reachability, logins, secrets.</summary>
public sealed class PostgresStateBackendTests(PostgresFixture postgres) : StateBackendContract
{
    private readonly Lazy<Task<string>> _database = new(() => postgres.CreateDatabaseOrSkipAsync(TestContext.Current.CancellationToken));

    protected override async Task<IStateBackend> OpenAsync(CancellationToken cancellationToken) =>
        await PostgresStateBackend.OpenAsync(await _database.Value, Time, cancellationToken);

    [Fact]
    public async Task Dead_letters_keep_every_field_in_write_order()
    {
        await using var state = await OpenAsync(Ct);
        DeadLetter[] letters = [Letter(1), Letter(2), Letter(3)];
        await state.DeadLetters.WriteManyAsync("orders", letters, Ct);
        await state.DeadLetters.WriteAsync("orders", Letter(4), Ct);

        var read = new List<DeadLetter>();
        await foreach (var stored in state.DeadLetters.ListAsync("orders", Ct))
        {
            read.Add(stored.Letter);
        }

        Assert.Equal([.. letters, Letter(4)], read);
    }

    [Fact]
    public async Task Description_names_host_port_and_database_but_never_the_password()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseOrSkipAsync(Ct)) { Password = "s3cret-pw" }.ConnectionString;
        await using var state = await PostgresStateBackend.OpenAsync(connectionString, Time, Ct);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        Assert.Contains($"{builder.Host}:{builder.Port}", state.Description, StringComparison.Ordinal);
        Assert.Contains(builder.Database!, state.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", state.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", state.DeadLetters.LocationOf("orders"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error_that_never_quotes_the_connection_string()
    {
        var port = ClosedPort();
        var connectionString = $"Host=127.0.0.1;Port={port};Database=affinsy;Username=worker;Password=s3cret-pw;Timeout=3";

        var e = await Assert.ThrowsAsync<StateStoreUnavailableException>(() => PostgresStateBackend.OpenAsync(connectionString, Time, Ct));

        Assert.Contains($"Cannot reach the PostgreSQL state store at 127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Check that the server is running", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_is_a_clear_error_saying_how_to_create_it()
    {
        var builder = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseOrSkipAsync(Ct)) { Database = "affinsy_no_such_db", Password = "s3cret-pw" };

        var e = await Assert.ThrowsAsync<StateStoreUnavailableException>(() => PostgresStateBackend.OpenAsync(builder.ConnectionString, Time, Ct));

        Assert.Contains("has no database 'affinsy_no_such_db'", e.Message, StringComparison.Ordinal);
        Assert.Contains("createdb", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_refused_without_quoting_it()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => PostgresStateBackend.OpenAsync("Host=db;Pasword=s3cret-pw", Time, Ct));

        Assert.Contains("not a valid PostgreSQL connection string", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quartz_tables_are_created_with_the_state_tables()
    {
        await using var state = await OpenAsync(Ct);
        await using var connection = new NpgsqlConnection(await _database.Value);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", connection);
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Subset(tables.ToHashSet(), new HashSet<string>
        {
            "affinsy_checkpoints", "affinsy_dead_letters", "affinsy_runs", "affinsy_reports",
            "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers",
            "qrtz_blob_triggers", "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks",
        });
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
