using System.CommandLine;
using Affinsy.Core.State;
using Affinsy.Host.Operations;

namespace Affinsy.Host.Cli;

/// <summary><c>affinsy-connect state show|reset</c>: the checkpoints and dead letters of each pipeline.</summary>
internal static class StateCommands
{
    public static Command Create()
    {
        var state = new Command("state", "Inspect or reset pipeline checkpoints.");
        state.Subcommands.Add(Show());
        state.Subcommands.Add(Reset());
        return state;
    }

    private static Command Show()
    {
        var config = ConfigFile.Option();
        var command = new Command("show", "Print every pipeline's checkpoint and dead-letter count.") { config };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigFile.LoadForState(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            await using var state = await StateBackends.OpenAsync(loaded.State, TimeProvider.System, ct);
            var (checkpoints, deadLetters) = (state.Checkpoints, state.DeadLetters);
            var entries = (await checkpoints.ListAsync(ct)).ToDictionary(e => e.Pipeline, StringComparer.Ordinal);
            foreach (var p in loaded.Pipelines)
            {
                var dead = await deadLetters.CountAsync(p.Name, ct);
                var where = entries.TryGetValue(p.Name, out var e) ? $"checkpoint {e.Checkpoint.Value} (written {e.UpdatedAt:u})" : "no checkpoint (next sync starts from the beginning)";
                Console.WriteLine($"{p.Name}: {where}; {dead} dead letter{(dead == 1 ? "" : "s")}{(dead > 0 ? $" in {deadLetters.LocationOf(p.Name)}" : "")}");
            }

            return 0;
        });
        return command;
    }

    private static Command Reset()
    {
        var config = ConfigFile.Option();
        var pipelines = PipelineArgument.Create("Pipelines to reset.", ArgumentArity.OneOrMore);
        var command = new Command("reset", "Forget pipelines' checkpoints so their next sync starts from the beginning (upserts make the re-send harmless).") { config, pipelines };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigFile.LoadForState(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            var names = parse.GetValue(pipelines)!;
            var unknown = names.Where(n => loaded.Pipelines.All(p => p.Name != n)).ToList();
            if (unknown.Count > 0)
            {
                await Console.Error.WriteLineAsync($"No such pipeline: {string.Join(", ", unknown)}. Pipelines: {string.Join(", ", loaded.Pipelines.Select(p => p.Name))}.");
                return ConfigFile.InvalidConfigExitCode;
            }

            await using var state = await StateBackends.OpenAsync(loaded.State, TimeProvider.System, ct);
            foreach (var name in names)
            {
                await DeliveredState.ForgetAsync(state.Checkpoints, state.Ledger, name, ct);
                Console.WriteLine($"{name}: checkpoint and order ledger reset; the next sync sends everything again.");
            }

            return 0;
        });
        return command;
    }
}
