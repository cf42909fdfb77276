using System.CommandLine;
using Affinsy.Host.Sync;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Cli;

/// <summary><c>affinsy-connect sync [PIPELINE...]</c>: one pass of each pipeline, then its reports.</summary>
internal static class SyncCommand
{
    public const string Name = "sync";

    public static Command Create()
    {
        var config = ConfigFile.Option();
        var pipelines = PipelineArgument.Create("Pipelines to run (default: all).", ArgumentArity.ZeroOrMore);
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "Forget the checkpoints and the order ledger first and send everything again (upserts make it harmless)." };
        var wait = new Option<bool>("--wait") { Description = "When another sync holds a pipeline, wait for it to finish instead of exiting 3." };
        var command = new Command(Name, "Run each pipeline once, trigger its report templates, save and print the results.") { config, pipelines, fullRefresh, wait };
        command.SetAction(async (parse, _) =>
        {
            if (ConfigFile.Load(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            if (PipelineArgument.Select(loaded, parse.GetValue(pipelines), Console.Error, "affinsy-connect sync") is not { } selected)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            using var loggers = Logging.Create(loaded);
            using var interrupt = new SyncInterrupt(loaded.Worker.DrainTimeout, TimeProvider.System);
            try
            {
                return await new SyncRun(loaded, loggers, TimeProvider.System).RunAsync(selected, parse.GetValue(fullRefresh), parse.GetValue(wait), interrupt);
            }
            catch (Exception e) when (UserErrors.Is(e))
            {
                return await UserErrors.PrintAsync(e);
            }
            catch (OperationCanceledException) when (interrupt.Requested)
            {
                await Console.Error.WriteLineAsync("Stopped; every acknowledged batch is checkpointed, so the next sync resumes where this one stopped.");
                return SyncInterrupt.ExitCode;
            }
        });
        return command;
    }
}
