using System.Text.Json;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Cli;
using Affinsy.State.Sqlite;
using Xunit;

namespace Affinsy.Host.Tests;

[CollectionDefinition(nameof(StateOnlyCommandsTests), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// <c>status</c>, <c>runs</c> and <c>dead-letters</c> through the command line, on a configuration whose Shopify token
/// is not set: they read the state store only.
/// </summary>
[Collection(nameof(StateOnlyCommandsTests))]
public sealed class StateOnlyCommandsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-cli-state-").FullName;
    private readonly string _config;

    public StateOnlyCommandsTests()
    {
        _config = Path.Combine(_directory, "connectors.yaml");
        File.WriteAllText(_config, """
            pipelines:
              - name: shopify-main
                dataset_id: my-store
                source: { type: shopify, shop: my-store.myshopify.com, access_token: "${AFFINSY_TEST_UNSET_SHOPIFY_TOKEN}", mode: bulk }
            """);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Status_runs_without_the_source_token_and_marks_a_dead_workers_run_abandoned()
    {
        await using (var state = await OpenAsync())
        {
            await state.History.RecordRunAsync(new RunRecord("r1", "shopify-main", "host/1", Start, null, RunOutcome.Running, null, 5, 9, 0, Start.AddSeconds(10)), Ct);
        }

        var (exit, output, errors) = await RunAsync("status", "--json", "-c", _config);

        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(output);
        var run = json.RootElement[0].GetProperty("last_run");
        Assert.Equal("Abandoned", run.GetProperty("outcome").GetString());
        Assert.Equal(Start.AddSeconds(10), run.GetProperty("finished_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Runs_prints_the_history_newest_first_as_json()
    {
        await using (var state = await OpenAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                await state.History.RecordRunAsync(new RunRecord($"r{i}", "shopify-main", "host/1", Start.AddMinutes(i), Start.AddMinutes(i).AddSeconds(30), RunOutcome.Completed, null, i, i * 2, 0), Ct);
            }
        }

        var (exit, output, errors) = await RunAsync("runs", "shopify-main", "--last", "2", "--json", "-c", _config);

        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["r2", "r1"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        Assert.Equal(4, json.RootElement[0].GetProperty("line_items_sent").GetInt64());
    }

    [Fact]
    public async Task Dead_letters_are_listed_by_reason_shown_by_id_and_purged_by_date()
    {
        var old = new DeadLetter("negative price", "line 3", "A,-1", "A", Start);
        var recent = new DeadLetter("no line items", "line 9", "B", "B", Start.AddDays(2));
        await using (var state = await OpenAsync())
        {
            await state.DeadLetters.WriteManyAsync("shopify-main", [old, recent, old], Ct);
        }

        var list = await RunAsync("dead-letters", "list", "shopify-main", "--reason", "PRICE", "--json", "-c", _config);
        var show = await RunAsync("dead-letters", "show", DeadLetterIdentity.Of("shopify-main", recent), "-c", _config);
        var purge = await RunAsync("dead-letters", "purge", "shopify-main", "--before", "2026-11-26", "-c", _config);
        var after = await RunAsync("dead-letters", "list", "shopify-main", "-c", _config);

        Assert.True(list.Exit == 0, list.Errors);
        var line = Assert.Single(list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(DeadLetterIdentity.Of("shopify-main", old), JsonDocument.Parse(line).RootElement.GetProperty("id").GetString());
        Assert.Contains("reason:    no line items", show.Output, StringComparison.Ordinal);
        Assert.Contains("purged 1 dead letter written before 2026-11-26 00:00:00Z", purge.Output, StringComparison.Ordinal);
        Assert.StartsWith(DeadLetterIdentity.Of("shopify-main", recent), after.Output, StringComparison.Ordinal);
        Assert.Contains("1 dead letter of shopify-main", after.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_of_an_unknown_id_says_how_to_find_one()
    {
        var (exit, _, errors) = await RunAsync("dead-letters", "show", "00000000deadbeef", "-c", _config);

        Assert.Equal(1, exit);
        Assert.Contains("'dead-letters list PIPELINE' lists them", errors, StringComparison.Ordinal);
    }

    private Task<SqliteStateBackend> OpenAsync() =>
        StateStores.OpenSqliteAsync(new StateSettings { Path = Path.Combine(_directory, StateSettings.DefaultPath) }, TimeProvider.System, Ct);

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            var exit = await CommandLine.RunAsync(args);
            return (exit, output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
