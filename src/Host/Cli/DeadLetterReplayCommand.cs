using System.CommandLine;
using Affinsy.Host.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect dead-letters replay PIPELINE [--reason R] [--dry-run] [--json]</c>: reads each unresolved letter's
/// record again through the pipeline's current configuration and sends what passes now (<see cref="ReplayPass"/>), then
/// the messages of a Kafka pipeline's dead-letter topic not replayed yet.
/// Exit 0 when every letter passed, 1 when some still fail (or cannot be replayed, or the replay stopped), 2 for a
/// configuration error, 3 when a sync holds the pipeline.
/// </summary>
internal static class DeadLetterReplayCommand
{
    public static Command Create()
    {
        var config = ConfigFile.Option();
        var pipeline = new Argument<string>("pipeline") { Description = "The pipeline." };
        var reason = new Option<string?>("--reason") { Description = "Only letters whose reason contains this text (case-insensitive)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Send and change nothing: say for each letter whether it would pass now, or its new reason." };
        var json = new Option<bool>("--json") { Description = "Print JSON Lines (one per letter, then the summary) instead of text." };
        var command = new Command("replay", "Read the pipeline's unresolved dead letters (and its Kafka dead-letter topic) again through its current configuration and send what passes now.")
        {
            config, pipeline, reason, dryRun, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigFile.Load(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            if (PipelineArgument.Select(loaded, [parse.GetValue(pipeline)!], Console.Error, "dead-letters replay") is not [var selected])
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            using var loggers = Logging.Create(loaded);
            try
            {
                // No pipelines named: a replay triggers no reports, so no webhook receiver is started.
                await using var services = ConnectServices.Build(loaded, loggers, TimeProvider.System);
                var runtime = await services.OpenRuntimeAsync([], ct);
                var result = await services.GetRequiredService<ReplayPass>().RunAsync(selected, parse.GetValue(reason), parse.GetValue(dryRun), ct);
                var printer = new ReplayPrinter(selected.Name, runtime.State.DeadLetters.LocationOf(selected.Name));
                if (parse.GetValue(json))
                {
                    printer.Json(result);
                }
                else
                {
                    printer.Text(result);
                }

                return result.AllPassed ? 0 : 1;
            }
            catch (PipelineBusyException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return SyncRun.BusyExitCode;
            }
            catch (Exception e) when (UserErrors.Is(e))
            {
                return await UserErrors.PrintAsync(e);
            }
        });
        return command;
    }
}
