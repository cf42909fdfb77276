using System.Globalization;
using System.Text.Json;
using Affinsy.Core.Sources;
using Affinsy.Sink.Api;
using Affinsy.Sink.Pipelines;
using Spectre.Console;

namespace Affinsy.Host.Sync;

/// <summary>What a person sees: live progress on a terminal, periodic lines otherwise, and the summary tables.</summary>
internal static class SyncConsole
{
    public static bool IsTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs the sync with a live progress line on a terminal, or a log line every few seconds elsewhere.</summary>
    public static async Task<T> WithProgressAsync<T>(string pipeline, Func<IProgress<SyncProgress>, Task<T>> run, TimeProvider time)
    {
        var started = time.GetTimestamp();
        if (Cli.Logging.Quiet)
        {
            return await run(new Progress<SyncProgress>());
        }

        if (IsTerminal)
        {
            T? result = default;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(pipeline).IsIndeterminate();
                    var progress = new Progress<SyncProgress>(p => task.Description = Describe(pipeline, p, time.GetElapsedTime(started)));
                    result = await run(progress);
                    task.StopTask();
                });
            return result!;
        }

        long lastPrinted = started;
        var lines = new Progress<SyncProgress>(p =>
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(Interlocked.Read(ref lastPrinted), now) >= TimeSpan.FromSeconds(5))
            {
                Interlocked.Exchange(ref lastPrinted, now);
                Console.WriteLine(Describe(pipeline, p, time.GetElapsedTime(started)));
            }
        });
        return await run(lines);
    }

    /// <summary>The progress line; its skipped and dead-lettered counts read as the summary's rows do.</summary>
    internal static string Describe(string pipeline, SyncProgress p, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? p.LineItemsSent / elapsed.TotalSeconds : 0;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{pipeline}: read {p.OrdersRead:N0} orders, sent {p.LineItemsSent:N0} line items in {p.Requests:N0} requests ({rate:N0}/s), skipped {Skipped(p.Skipped)}, dead-lettered {p.DeadLetteredTotal:N0}");
        return p.Source is { } source && source.Remaining(elapsed) is { } left
            ? line + string.Create(CultureInfo.InvariantCulture, $"; {source.Fraction * 100:0}% of the source read, about {Eta(left)} left")
            : line;
    }

    /// <summary>A duration as a person reads an estimate: 45 s, 3 min 20 s, 2 h 05 min.</summary>
    internal static string Eta(TimeSpan left) => left.TotalSeconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(left.TotalSeconds):0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalMinutes} min {left.Seconds:00} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours} h {left.Minutes:00} min"),
    };

    /// <summary>Skipped orders in words, the same everywhere: <c>324 (276 cancelled, 48 return)</c>, or <c>0</c>.</summary>
    internal static string Skipped(SkipCounts skipped) =>
        skipped.IsEmpty ? "0" : $"{N(skipped.Total)} ({skipped.Describe()})";

    /// <summary>Skipped orders for a table cell: the total, then one reason per line.</summary>
    internal static string SkippedLines(SkipCounts skipped) =>
        string.Join('\n', skipped.Entries.Select(e => $"{N(e.Count)} {SkipReasons.Name(e.Reason)}").Prepend(N(skipped.Total)));

    /// <summary>The final table of one sync.</summary>
    /// <param name="r">The sync.</param>
    /// <param name="interrupted">The user stopped it (Ctrl+C): said as "interrupted" rather than cancelled.</param>
    public static void Summary(SyncResult r, bool interrupted = false)
    {
        var status = r.Outcome == SyncOutcome.Completed ? "[green]completed[/]"
            : interrupted ? "[yellow]interrupted[/]"
            : $"[red]{r.Outcome.ToString().ToLowerInvariant()}[/]";
        var table = new Table().Title($"{Markup.Escape(r.Pipeline)} -> dataset {Markup.Escape(r.DatasetId)}: {status}")
            .AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        table.AddRow("orders read", N(r.OrdersRead));
        if (r.OrdersUnchanged > 0)
        {
            table.AddRow("unchanged (already in the dataset, not sent)", N(r.OrdersUnchanged));
        }

        table.AddRow("orders sent", N(r.OrdersSent));
        table.AddRow("line items sent", N(r.LineItemsSent));
        AddCounted(table, "skipped by design", r.Skipped.Total, r.Skipped.Entries.Select(e => (SkipReasons.Name(e.Reason), e.Count)));
        AddCounted(table, "dead-lettered (needs a person)", r.DeadLetteredTotal, DeadLetterRows(r));
        table.AddRow("requests / retries / 429s", $"{N(r.Requests)} / {N(r.Retries)} / {N(r.Throttled)}");
        table.AddRow("rows inserted / updated / rejected", $"{N(r.Inserted)} / {N(r.Updated)} / {N(r.Rejected)}");
        if (r.AppliedUnanswered > 0)
        {
            // Affinsy's own 504: applied per its API, not sent again; its rows are in no count above.
            table.AddRow("line items applied, answered 504 (no counts)", N(r.LineItemsAppliedUnanswered));
        }

        table.AddRow("wall time", r.Elapsed.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        foreach (var warning in r.Warnings)
        {
            AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        if (r.Error is not null)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(r.Error)}");
        }
    }

    public static void Report(CollectedReport collected)
    {
        var report = collected.Report;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(collected.Template)}[/] ({report.ReportType}, {Markup.Escape(report.ReportId)}): {report.Status}, saved to {Markup.Escape(collected.SavedTo)}");
        ReportBody(report);
    }

    /// <summary>A report's error, or its strongest rules, its segments and its insights, as <c>sync</c> prints them.</summary>
    public static void ReportBody(Report report)
    {
        if (report.Error is not null)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(report.Error)}");
        }

        if (report.Results is not { ValueKind: JsonValueKind.Object } results)
        {
            return;
        }

        if (results.TryGetProperty("rules", out var rules))
        {
            var table = new Table().AddColumns("if bought", "then also", "support", "confidence", "lift");
            foreach (var rule in rules.EnumerateArray().Take(10))
            {
                table.AddRow(Markup.Escape(Names(rule.GetProperty("antecedent"))), Markup.Escape(Names(rule.GetProperty("consequent"))),
                    F(rule.GetProperty("support").GetDouble(), "P1"), F(rule.GetProperty("confidence").GetDouble(), "P0"), F(rule.GetProperty("lift").GetDouble(), "0.00"));
            }

            var total = results.GetProperty("rules_total").GetInt32();
            if (total == 0)
            {
                var support = report.Params is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("min_support", out var s) ? s.ToString() : "the template's";
                // The reference server's insights name the min_support of the 20th most common pair; another server's may not.
                var hint = results.TryGetProperty("insights", out var said) && said.EnumerateArray().Any(i => i.GetString()?.Contains("min_support=", StringComparison.Ordinal) == true)
                    ? "The insights below name a min_support the data supports."
                    : "Try a lower min_support (--param min_support=0.005), or more data.";
                AnsiConsole.MarkupLine($"{results.GetProperty("baskets").GetInt32():N0} baskets and no rule at min_support {Markup.Escape(support)}: "
                    + "no set of products is bought together that often. " + hint);
            }
            else
            {
                AnsiConsole.MarkupLine($"{results.GetProperty("baskets").GetInt32():N0} baskets, {total:N0} rules; the strongest:");
                AnsiConsole.Write(table);
            }
        }

        if (results.TryGetProperty("segments", out var segments))
        {
            var table = new Table().AddColumns("segment", "customers", "share", "revenue", "avg recency (days)", "avg orders");
            foreach (var s in segments.EnumerateArray())
            {
                table.AddRow(Markup.Escape(s.GetProperty("segment").GetString() ?? ""), N(s.GetProperty("customers").GetInt64()),
                    F(s.GetProperty("share").GetDouble(), "P1"), F(s.GetProperty("revenue").GetDouble(), "N2"),
                    F(s.GetProperty("avg_recency_days").GetDouble(), "N0"), F(s.GetProperty("avg_frequency").GetDouble(), "N1"));
            }

            AnsiConsole.Write(table);
        }

        if (results.TryGetProperty("insights", out var insights))
        {
            foreach (var line in insights.EnumerateArray())
            {
                AnsiConsole.MarkupLine($"  - {Markup.Escape(line.GetString() ?? "")}");
            }
        }
    }

    private static string Names(JsonElement array) => string.Join(" + ", array.EnumerateArray().Select(e => e.GetString()));

    /// <summary>Where each dead letter of the sync came from; a new kind of dead letter is one more row here.</summary>
    private static IEnumerable<(string Label, long Count)> DeadLetterRows(SyncResult r)
    {
        yield return ("refused by the source", r.OrdersRefused);
        yield return ("refused by Affinsy", r.OrdersDeadLettered);
    }

    /// <summary>A total row followed by its indented parts (what was skipped by reason, where dead letters came from).</summary>
    private static void AddCounted(Table table, string label, long total, IEnumerable<(string Label, long Count)> parts)
    {
        table.AddRow(label, N(total));
        foreach (var (part, count) in parts)
        {
            table.AddRow("  " + Markup.Escape(part), N(count));
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
