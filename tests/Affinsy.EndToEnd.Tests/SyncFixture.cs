using Affinsy.Reference;
using Affinsy.Reference.Config;
using Affinsy.Testing;
using Xunit;

namespace Affinsy.EndToEnd.Tests;

/// <summary>
/// A working directory with a connectors.yaml pointing the real host at a reference server on loopback
/// (its own SQLite file), and ways to compare what landed with what should have.
/// </summary>
public abstract class SyncFixture : IAsyncLifetime
{
    protected const string Key = "afn_e2e_key";

    private readonly TempDirectory _dir = new();
    private ReferenceServer? _server;

    protected string WorkDir => _dir.Path;

    internal ReferenceServer Server => _server ?? throw new InvalidOperationException("start the server first");

    protected static IReadOnlyDictionary<string, string> Env => new Dictionary<string, string> { ["E2E_AFFINSY_KEY"] = Key };

    internal async Task<ReferenceServer> StartServerAsync(string? limitsAndFaults = null, string plan = "enterprise")
    {
        var settings = ReferenceSettingsLoader.Parse($"users: [{{ id: local, plan: {plan}, keys: [{Key}] }}]\n{limitsAndFaults}", "e2e");
        _server = await ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            DataDirectory = Path.Combine(WorkDir, "server"),
            Settings = settings,
            Logging = _ => { },
        }, TestContext.Current.CancellationToken);
        return _server;
    }

    /// <summary>Writes connectors.yaml with one pipeline <c>shop</c> on the given source section.</summary>
    protected void WriteConfig(string source, string ingest = "{ max_line_items_per_request: 1000 }", string extra = "")
    {
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
              ingest: {{ingest}}
            state: { path: state/state.db }
            {{extra}}
            pipelines:
              - name: shop
                dataset_id: shop
                source: {{source}}
            """);
    }

    /// <summary>Writes connectors.yaml for this server and state with the given <c>pipelines:</c> list (YAML, at column 0).</summary>
    protected void WritePipelines(string pipelines) =>
        File.WriteAllText(Path.Combine(WorkDir, "connectors.yaml"), $$"""
            affinsy:
              base_url: {{Server.ApiBase}}
              api_key: ${E2E_AFFINSY_KEY}
            state: { path: state/state.db }
            pipelines:

            """ + pipelines);

    protected Task<(int ExitCode, string Stdout, string Stderr)> SyncAsync(params string[] args) =>
        HostProcess.RunAsync(WorkDir, Env, ["sync", .. args]);

    /// <summary>Every stored row of the dataset, in a canonical order.</summary>
    internal List<ExpectedRow> Landed() =>
        [.. Server.Store.LoadLines("local", "shop")
            .Select(l => new ExpectedRow(l.OrderId, l.ProductName, l.UnitPrice, l.Quantity, l.CustomerId, l.OrderDate!.Value))
            .OrderBy(r => r.OrderId, StringComparer.Ordinal).ThenBy(r => r.ProductName, StringComparer.Ordinal)];

    internal static List<ExpectedRow> Canonical(IEnumerable<ExpectedRow> rows) =>
        [.. rows.OrderBy(r => r.OrderId, StringComparer.Ordinal).ThenBy(r => r.ProductName, StringComparer.Ordinal)];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
