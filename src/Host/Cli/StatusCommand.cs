using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Affinsy.Core.Configuration;
using Affinsy.Core.State;
using Affinsy.Host.Operations;
using Affinsy.Host.Sync;
using Spectre.Console;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect status</c>: how every pipeline stands, read from the state store (so on any worker of a
/// fleet sharing PostgreSQL): schedule and next run, last run, checkpoint age, dead letters, latest reports.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var config = ConfigFile.Option();
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of a table." };
        var command = new Command("status", "Print every pipeline's schedule, last run, checkpoint, dead letters and latest reports.") { config, json };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigFile.LoadForState(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            try
            {
                await using var state = await RedactingStateBackend.OpenAsync(loaded, TimeProvider.System, ct);
                var statuses = await ReadAsync(loaded, state, TimeProvider.System, ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(statuses, StatusJsonContext.Default.IReadOnlyListPipelineStatus));
                }
                else
                {
                    Print(statuses, state.Description);
                }

                return statuses.Any(s => s.LastRun?.Outcome == RunOutcome.Failed) ? 1 : 0;
            }
            catch (Exception e) when (UserErrors.Is(e))
            {
                return await UserErrors.PrintAsync(e);
            }
        });
        return command;
    }

    internal static async Task<IReadOnlyList<PipelineStatus>> ReadAsync(ConnectorsConfig config, IStateBackend state, TimeProvider time, CancellationToken ct)
    {
        var runs = (await state.History.LatestRunsAsync(ct)).ToDictionary(r => r.Pipeline, StringComparer.Ordinal);
        var reports = (await state.History.LatestReportsAsync(ct)).ToLookup(r => r.Pipeline, StringComparer.Ordinal);
        var checkpoints = (await state.Checkpoints.ListAsync(ct)).ToDictionary(c => c.Pipeline, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var result = new List<PipelineStatus>();
        foreach (var p in config.Pipelines)
        {
            // A run whose worker died stays 'running' until someone looks: status is such a look.
            if (runs.GetValueOrDefault(p.Name) is { Outcome: RunOutcome.Running } && await state.History.MarkAbandonedAsync(p.Name, now, ct) > 0)
            {
                runs[p.Name] = (await state.History.RecentRunsAsync(p.Name, 1, ct))[0];
            }

            DateTimeOffset? next = p.Enabled && p.Schedule is { } cron && Quartz.CronExpression.TryParse(cron, out var expression) ? expression!.GetNextValidTimeAfter(now) : null;
            checkpoints.TryGetValue(p.Name, out var checkpoint);
            result.Add(new PipelineStatus(
                p.Name,
                p.DatasetId,
                p.SourceType,
                p.Schedule,
                next,
                runs.GetValueOrDefault(p.Name),
                checkpoint?.UpdatedAt,
                checkpoint is null ? null : (long)(now - checkpoint.UpdatedAt).TotalSeconds,
                await state.DeadLetters.CountAsync(p.Name, ct),
                state.DeadLetters.LocationOf(p.Name),
                [.. reports[p.Name].OrderBy(r => r.Template, StringComparer.Ordinal)],
                p.Enabled));
        }

        return result;
    }

    private static void Print(IReadOnlyList<PipelineStatus> statuses, string stateDescription)
    {
        // Redirected output (a file, a pager, a test) has no width: 80 columns would wrap every cell of six columns.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        var table = new Table().Title($"Pipelines (state: {Markup.Escape(stateDescription)})")
            .AddColumn(new TableColumn("pipeline").NoWrap()).AddColumn("schedule").AddColumn("last run").AddColumn("checkpoint").AddColumn("dead letters").AddColumn("latest reports");
        foreach (var s in statuses)
        {
            var schedule = !s.Enabled ? "disabled\n(runs when named)"
                : s.Schedule is null ? "on demand" : $"{s.Schedule}\nnext {When(s.NextRun)}";
            var run = s.LastRun is not { } r ? "never"
                : $"{(r.Kind == "replay" ? "replay " : "")}{Outcome(r.Outcome)} {When(r.StartedAt)}\n{r.OrdersRead:N0} {(r.Kind == "replay" ? "letters" : "orders")}, {r.LineItemsSent:N0} line items"
                  + $"\nskipped {Markup.Escape(SyncConsole.SkippedLines(r.Skipped ?? new()))}"
                  + (r.Error is null ? "" : $"\n[red]{Markup.Escape(r.Error)}[/]");
            var checkpoint = s.CheckpointWrittenAt is { } at ? $"written {When(at)}\n({Age(s.CheckpointAgeSeconds!.Value)} ago)" : "none (starts from the beginning)";
            // The run history counts dead letters wherever they went (a Kafka dead-letter topic too), the store only its own.
            var dead = (s.DeadLetters == 0 ? "0" : $"{s.DeadLetters:N0}\n{Markup.Escape(s.DeadLetterLocation)}")
                + (s.LastRun is { DeadLettered: > 0 } last ? $"\n{last.DeadLettered:N0} in the last run" : "");
            var reports = s.LatestReports.Count == 0 ? "none" : string.Join("\n", s.LatestReports.Select(x =>
                $"{Markup.Escape(x.Template)}: {Markup.Escape(x.Status)} {When(x.FinishedAt ?? x.TriggeredAt)}"));
            table.AddRow(Markup.Escape(s.Name), Markup.Escape(schedule), run, checkpoint, dead, reports);
        }

        AnsiConsole.Write(table);
    }

    private static string Outcome(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Completed => "[green]completed[/]",
        RunOutcome.Failed => "[red]failed[/]",
        RunOutcome.Running => "[yellow]running[/]",
        RunOutcome.Abandoned => "[red]abandoned[/]",
        RunOutcome.Interrupted => "[yellow]interrupted[/]",
        _ => "[grey]cancelled[/]",
    };

    private static string When(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";

    private static string Age(long seconds) =>
        seconds < 120 ? $"{seconds} s" : seconds < 7200 ? $"{seconds / 60} min" : seconds < 172800 ? $"{seconds / 3600} h" : $"{seconds / 86400} days";
}

/// <summary>One pipeline in <c>status</c>.</summary>
internal sealed record PipelineStatus(
    string Name,
    string DatasetId,
    string SourceType,
    string? Schedule,
    DateTimeOffset? NextRun,
    RunRecord? LastRun,
    DateTimeOffset? CheckpointWrittenAt,
    long? CheckpointAgeSeconds,
    long DeadLetters,
    string DeadLetterLocation,
    IReadOnlyList<ReportRecord> LatestReports,
    bool Enabled = true);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<PipelineStatus>))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
