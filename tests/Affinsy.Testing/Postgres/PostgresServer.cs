using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Affinsy.Testing.Postgres;

/// <summary>
/// A PostgreSQL server for tests, found in this order: <c>AFFINSY_TEST_POSTGRES</c> (a connection string to a server
/// whose user may create databases); a Testcontainers server when a Docker engine answers; the Debian package
/// (<c>/usr/lib/postgresql/*/bin/initdb</c>) started on a free loopback port from a temporary directory, as the
/// <c>postgres</c> user when the tests run as root. When none is possible, <see cref="SkipReason"/> says why and tests
/// skip. Meant to be shared by a whole test run (an xunit assembly fixture calls <see cref="InitializeAsync"/> and
/// <see cref="DisposeAsync"/>); each test class or test asks for a fresh database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string EnvironmentVariable = "AFFINSY_TEST_POSTGRES";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _created = [];
    private string? _adminConnectionString;
    private PostgreSqlContainer? _container;
    private LocalCluster? _local;
    private bool _initialized;

    /// <summary>Why no server is available (tests skip with it), or null when one is.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Which kind of server this is, once initialized.</summary>
    public string Kind { get; private set; } = "none";

    /// <summary>Finds or starts the server; never throws for a missing server, it sets <see cref="SkipReason"/> instead.</summary>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            _initialized = true;
            if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
            {
                _adminConnectionString = external;
                Kind = "external";
                return;
            }

            if (await DockerEngine.AnswersAsync(cancellationToken))
            {
                _container = new PostgreSqlBuilder("postgres:16-alpine").Build();
                await _container.StartAsync(cancellationToken);
                _adminConnectionString = _container.GetConnectionString();
                Kind = "container";
                return;
            }

            var (cluster, reason) = await LocalCluster.StartAsync(cancellationToken);
            if (cluster is null)
            {
                SkipReason = $"no PostgreSQL for the tests: {EnvironmentVariable} is not set, no Docker engine answers, and {reason}. " +
                             "Install the Debian package (apt-get install postgresql) or set " + EnvironmentVariable + ".";
                return;
            }

            _local = cluster;
            _adminConnectionString = cluster.ConnectionString;
            Kind = "local";
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it; null when there is no server.</summary>
    public async Task<string?> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        if (_adminConnectionString is null)
        {
            return null;
        }

        var name = "affinsy_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _created.Add(name);
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Kind == "external" && _adminConnectionString is not null)
        {
            await DropCreatedDatabasesAsync(_adminConnectionString);
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_local is not null)
        {
            await _local.DisposeAsync();
        }

        _gate.Dispose();
    }

    /// <summary>Leaves a server the tests do not own as it was found (a container or a local cluster is deleted whole).</summary>
    private async Task DropCreatedDatabasesAsync(string adminConnectionString)
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            foreach (var name in _created)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // Cleaning up is best effort: a server that went away keeps a few empty test databases.
        }
    }

    /// <summary>A cluster of the Debian package, in a temporary directory, on a free loopback port.</summary>
    private sealed class LocalCluster : IAsyncDisposable
    {
        private readonly string _directory;
        private readonly string _bin;
        private readonly string? _runuser;

        private LocalCluster(string directory, string bin, string? runuser, int port)
        {
            _directory = directory;
            _bin = bin;
            _runuser = runuser;
            ConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
            }.ConnectionString;
        }

        public string ConnectionString { get; }

        private string DataDirectory => Path.Combine(_directory, "data");

        public static async Task<(LocalCluster? Cluster, string Reason)> StartAsync(CancellationToken cancellationToken)
        {
            var bin = FindBin();
            if (bin is null)
            {
                return (null, "/usr/lib/postgresql/*/bin/initdb is not installed");
            }

            var asPostgresUser = Environment.UserName == "root";
            var runuser = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists);
            if (asPostgresUser && runuser is null)
            {
                return (null, "the tests run as root, which PostgreSQL refuses, and runuser is missing to run it as the postgres user");
            }

            var directory = Path.Combine(Path.GetTempPath(), "affinsy-postgres-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(directory);
            var cluster = new LocalCluster(directory, bin, asPostgresUser ? runuser : null, FreePort());
            try
            {
                if (asPostgresUser)
                {
                    await cluster.RunAsync("/bin/chown", ["-R", "postgres", directory], asPostgres: false, cancellationToken);
                }

                await cluster.RunAsync(Path.Combine(bin, "initdb"), ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asPostgres: asPostgresUser, cancellationToken);
                var port = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Port.ToString(CultureInfo.InvariantCulture);
                var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
                await cluster.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", cluster.DataDirectory, "-l", Path.Combine(directory, "server.log"), "-o", options, "-w", "-t", "60", "start"], asPostgres: asPostgresUser, cancellationToken);
                return (cluster, string.Empty);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                await cluster.DisposeAsync();
                return (null, "starting the Debian package's server failed: " + e.Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                try
                {
                    await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asPostgres: _runuser is not null, CancellationToken.None);
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already stopped: nothing to do but remove the files.
                }
            }

            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // The OS temp cleaner gets what is left.
            }
        }

        private static string? FindBin()
        {
            const string root = "/usr/lib/postgresql";
            if (!Directory.Exists(root))
            {
                return null;
            }

            return Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "initdb")) && File.Exists(Path.Combine(d.Dir, "bin", "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo
            {
                FileName = asPostgres ? _runuser! : program,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = _directory,
            };
            if (asPostgres)
            {
                foreach (var a in (string[])["-u", "postgres", "--", program])
                {
                    start.ArgumentList.Add(a);
                }
            }

            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                var log = Path.Combine(_directory, "server.log");
                var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : string.Empty;
                throw new InvalidOperationException($"{Path.GetFileName(program)} exited {process.ExitCode}: {(await error).Trim()} {(await output).Trim()} {serverLog.Trim()}".Trim());
            }
        }
    }
}
