using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Spectre.Console;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect runs [PIPELINE] [--last N] [--json]</c>: the run history (start, end, outcome, counts, error)
/// from the state store alone, newest first. Runs whose worker died are marked abandoned first, as <c>status</c> does.
/// The table gives the skipped total (one line per run keeps the history scannable); <c>--json</c> and <c>status</c>
/// give the reasons.
/// </summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var config = ConfigFile.Option();
        var pipeline = new Argument<string?>("pipeline") { Description = "Only this pipeline's runs.", Arity = ArgumentArity.ZeroOrOne };
        var last = new Option<int>("--last", "-n") { Description = "How many runs to show.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table." };
        var command = new Command("runs", "Print the run history: start, end, outcome, counts and error of each sync.") { config, pipeline, last, json };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigFile.LoadForState(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            var name = parse.GetValue(pipeline);
            var count = parse.GetValue(last);
            if (count < 1)
            {
                await Console.Error.WriteLineAsync($"--last must be at least 1, got {count}.");
                return ConfigFile.InvalidConfigExitCode;
            }

            try
            {
                var time = TimeProvider.System;
                await using var state = await RedactingStateBackend.OpenAsync(loaded, time, ct);
                foreach (var p in loaded.Pipelines.Where(p => name is null || p.Name == name))
                {
                    await state.History.MarkAbandonedAsync(p.Name, time.GetUtcNow(), ct);
                }

                var runs = await state.History.RecentRunsAsync(name, count, ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(runs, RunsJsonContext.Default.IReadOnlyListRunRecord));
                }
                else if (runs.Count == 0)
                {
                    Console.WriteLine(name is null ? $"No runs recorded in {state.Description}." : $"No runs of {name} recorded in {state.Description}.");
                }
                else
                {
                    Print(runs);
                }

                return 0;
            }
            catch (Exception e) when (UserErrors.Is(e))
            {
                return await UserErrors.PrintAsync(e);
            }
        });
        return command;
    }

    private static void Print(IReadOnlyList<RunRecord> runs)
    {
        var table = new Table().AddColumn("pipeline").AddColumn("started").AddColumn("ended").AddColumn("kind").AddColumn("outcome")
            .AddColumn(new TableColumn("orders").RightAligned()).AddColumn(new TableColumn("line items").RightAligned())
            .AddColumn(new TableColumn("skipped").RightAligned()).AddColumn(new TableColumn("dead letters").RightAligned()).AddColumn("error");
        foreach (var r in runs)
        {
            table.AddRow(
                Markup.Escape(r.Pipeline),
                When(r.StartedAt),
                r.FinishedAt is { } end ? When(end) : r.HeartbeatAt is { } beat ? $"(alive {When(beat)})" : "",
                r.Kind,
                RunOutcomeText.Of(r.Outcome),
                r.OrdersRead.ToString("N0", CultureInfo.InvariantCulture),
                r.LineItemsSent.ToString("N0", CultureInfo.InvariantCulture),
                (r.Skipped?.Total ?? 0).ToString("N0", CultureInfo.InvariantCulture),
                r.DeadLettered.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(r.Error ?? ""));
        }

        AnsiConsole.Write(table);
    }

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<RunRecord>))]
internal sealed partial class RunsJsonContext : JsonSerializerContext;
