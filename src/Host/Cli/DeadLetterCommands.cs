using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Core.State;
using Affinsy.Host.Operations;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect dead-letters list|show|purge</c>: what could not be sent, read from the state store alone
/// (<c>replay</c>, which sends, is <see cref="DeadLetterReplayCommand"/>).
/// Lists stream (a line, or a JSON object, per letter), so a pipeline with a million letters prints in bounded memory.
/// </summary>
internal static class DeadLetterCommands
{
    public static Command Create()
    {
        var command = new Command("dead-letters", "List, show, replay or purge the records that could not be sent.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(DeadLetterReplayCommand.Create());
        command.Subcommands.Add(Purge());
        return command;
    }

    private static Command List()
    {
        var config = ConfigFile.Option();
        var pipeline = new Argument<string>("pipeline") { Description = "The pipeline." };
        var reason = new Option<string?>("--reason") { Description = "Only letters whose reason contains this text (case-insensitive)." };
        var json = new Option<bool>("--json") { Description = "Print JSON Lines instead of a table." };
        var all = new Option<bool>("--all") { Description = "Include letters a replay has resolved." };
        var command = new Command("list", "List a pipeline's dead letters, oldest first.") { config, pipeline, reason, json, all };
        command.SetAction((parse, ct) => WithStateAsync(parse.GetValue(config)!, async state =>
        {
            var (name, filter, asJson, withResolved) = (parse.GetValue(pipeline)!, parse.GetValue(reason), parse.GetValue(json), parse.GetValue(all));
            long shown = 0;
            var output = new ArrayBufferWriter<byte>();
            await foreach (var stored in state.DeadLetters.ListAsync(name, ct))
            {
                if ((stored.ResolvedAt is not null && !withResolved) || (filter is not null && !stored.Letter.Reason.Contains(filter, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                shown++;
                if (asJson)
                {
                    WriteJson(output, stored);
                }
                else
                {
                    var l = stored.Letter;
                    Console.WriteLine($"{stored.Id}  {When(l.At)}  {l.Position}  {(l.OrderId is null ? "" : "order " + l.OrderId + "  ")}{l.Reason}{(stored.ResolvedAt is { } r ? $"  (resolved {When(r)})" : "")}");
                }
            }

            if (!asJson)
            {
                await Console.Error.WriteLineAsync($"{shown:N0} dead letter{(shown == 1 ? "" : "s")} of {name} in {state.DeadLetters.LocationOf(name)}; 'dead-letters show ID' prints one whole.");
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Show()
    {
        var config = ConfigFile.Option();
        var id = new Argument<string>("id") { Description = "The letter's id (16 hex digits, from 'dead-letters list')." };
        var command = new Command("show", "Print one dead letter whole: reason, details, position and the original record.") { config, id };
        command.SetAction((parse, ct) => WithStateAsync(parse.GetValue(config)!, async state =>
        {
            var wanted = parse.GetValue(id)!;
            if (!DeadLetterIdentity.TryParse(wanted, out _))
            {
                await Console.Error.WriteLineAsync($"'{wanted}' is not a dead-letter id: ids are 16 hex digits, as 'dead-letters list PIPELINE' prints them.");
                return ConfigFile.InvalidConfigExitCode;
            }

            if (await state.DeadLetters.FindAsync(wanted, ct) is not { } stored)
            {
                await Console.Error.WriteLineAsync($"No dead letter {wanted} in {state.Description}; 'dead-letters list PIPELINE' lists them.");
                return 1;
            }

            var l = stored.Letter;
            Console.WriteLine($"id:        {stored.Id}\npipeline:  {stored.Pipeline}\nat:        {When(l.At)}\nposition:  {l.Position}\norder id:  {l.OrderId ?? "(none)"}\nreason:    {l.Reason}");
            Console.WriteLine($"details:   {l.Details ?? "(none)"}\nresolved:  {(stored.ResolvedAt is { } r ? When(r) : "no")}\nrecord:\n{l.OriginalRecord}");
            return 0;
        }, ct));
        return command;
    }

    private static Command Purge()
    {
        var config = ConfigFile.Option();
        var pipeline = new Argument<string>("pipeline") { Description = "The pipeline." };
        var before = new Option<string?>("--before") { Description = "Only letters written before this date or time (UTC unless it says otherwise), e.g. 2026-11-01." };
        var command = new Command("purge", "Delete a pipeline's dead letters (all, or those written before --before).") { config, pipeline, before };
        command.SetAction((parse, ct) => WithStateAsync(parse.GetValue(config)!, async state =>
        {
            var name = parse.GetValue(pipeline)!;
            DateTimeOffset? cutoff = null;
            if (parse.GetValue(before) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    await Console.Error.WriteLineAsync($"--before '{text}' is not a date: write it as 2026-11-01 or 2026-11-01T12:00:00Z.");
                    return ConfigFile.InvalidConfigExitCode;
                }

                cutoff = parsed;
            }

            var purged = await state.DeadLetters.PurgeAsync(name, cutoff, ct);
            Console.WriteLine($"{name}: purged {purged:N0} dead letter{(purged == 1 ? "" : "s")}{(cutoff is { } c ? $" written before {When(c)}" : "")}.");
            return 0;
        }, ct));
        return command;
    }

    private static async Task<int> WithStateAsync(string configPath, Func<IStateBackend, Task<int>> action, CancellationToken ct)
    {
        if (ConfigFile.LoadForState(configPath, Console.Error) is not { } loaded)
        {
            return ConfigFile.InvalidConfigExitCode;
        }

        try
        {
            await using var state = await RedactingStateBackend.OpenAsync(loaded, TimeProvider.System, ct);
            return await action(state);
        }
        catch (Exception e) when (UserErrors.Is(e))
        {
            return await UserErrors.PrintAsync(e);
        }
        catch (ArgumentException e) when (e.ParamName == "pipeline")
        {
            await Console.Error.WriteLineAsync($"{e.Message.Split(" (Parameter", 2)[0]} Pipeline names are letters, digits, '.', '_' and '-'.");
            return ConfigFile.InvalidConfigExitCode;
        }
    }

    /// <summary>One JSON line through <see cref="Console.Out"/> (which tests and redirections replace), reusing one buffer.</summary>
    private static void WriteJson(ArrayBufferWriter<byte> output, StoredDeadLetter stored)
    {
        output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(output);
        var l = stored.Letter;
        writer.WriteStartObject();
        writer.WriteString("id", stored.Id);
        writer.WriteString("pipeline", stored.Pipeline);
        writer.WriteString("at", l.At);
        writer.WriteString("position", l.Position);
        writer.WriteString("order_id", l.OrderId);
        writer.WriteString("reason", l.Reason);
        writer.WriteString("details", l.Details);
        writer.WriteString("original_record", l.OriginalRecord);
        if (stored.ResolvedAt is { } resolved)
        {
            writer.WriteString("resolved_at", resolved);
        }
        else
        {
            writer.WriteNull("resolved_at");
        }

        writer.WriteEndObject();
        writer.Flush();
        Console.Out.WriteLine(Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
