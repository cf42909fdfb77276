using System.Globalization;
using System.Text;
using Affinsy.Core.Sources;
using Affinsy.Core.State;
using Affinsy.Host.Worker;

namespace Affinsy.Host.Pages;

/// <summary>The worker's <c>GET /</c>: a row per pipeline, Kafka lag when there are consumers, links to the report pages.</summary>
internal static class StatusPage
{
    public static string Render(WorkerStatus status, int refreshSeconds)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<h1>affinsy-connect worker</h1><ul class=\"meta\"><li>worker <b>").Append(Html.E(status.Worker)).Append("</b></li>")
            .Append("<li>as of ").Append(Html.Time(status.GeneratedAt)).Append("</li>")
            .Append("<li class=\"noprint\">refreshes every ").Append(refreshSeconds).Append(" s</li>")
            .Append("<li class=\"noprint\"><a href=\"/api/status\">JSON</a></li>");
        if (status.ReportIndex is { } index)
        {
            html.Append("<li><a href=\"").Append(Html.E(index)).Append("\">all reports</a></li>");
        }

        html.Append("</ul><section class=\"card\"><h2>Pipelines</h2><table id=\"pipelines\"><thead><tr><th>pipeline</th><th>schedule</th>")
            .Append("<th>last run</th><th class=\"n\">orders read</th><th class=\"n\">line items sent</th><th class=\"n\">skipped</th><th class=\"n\">dead letters</th>")
            .Append("<th>checkpoint age</th><th>latest reports</th></tr></thead><tbody>");
        foreach (var p in status.Pipelines)
        {
            var run = p.LastRun;
            html.Append("<tr data-pipeline=\"").Append(Html.E(p.Name)).Append("\"><td><b>").Append(Html.E(p.Name)).Append("</b><br><span class=\"muted\">")
                .Append(Html.E(p.SourceType)).Append(" \u2192 ").Append(Html.E(p.DatasetId)).Append("</span></td><td>")
                .Append(p.Schedule is null ? "on demand" : Html.E(p.Schedule) + "<br><span class=\"muted\">next " + Html.Time(p.NextRun) + "</span>")
                .Append("</td><td class=\"last-run\">").Append(LastRun(run)).Append("</td>")
                .Append("<td class=\"n\">").Append(run is null ? "" : Html.Count(run.OrdersRead)).Append("</td>")
                .Append("<td class=\"n\">").Append(run is null ? "" : Html.Count(run.LineItemsSent)).Append("</td>")
                .Append("<td class=\"n skipped\">").Append(Skipped(run?.Skipped)).Append("</td>")
                .Append("<td class=\"n\">").Append(Html.Count(p.DeadLetters)).Append("</td>")
                .Append("<td>").Append(p.CheckpointAgeSeconds is { } age ? Age(age) : "none").Append("</td><td>");
            foreach (var link in status.ReportPages.Where(l => l.Pipeline == p.Name))
            {
                html.Append("<a class=\"report-link\" href=\"").Append(Html.E(link.Href)).Append("\">").Append(Html.E(link.Template)).Append("</a><br>");
            }

            html.Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
        Lag(html, status.KafkaLag);
        return PageShell.Document("affinsy-connect worker", html.ToString(), refreshSeconds);
    }

    private static string LastRun(RunRecord? run)
    {
        if (run is null)
        {
            return "<span class=\"muted\">never</span>";
        }

        var (css, word) = run.Outcome switch
        {
            RunOutcome.Completed => ("ok", "completed"),
            RunOutcome.Failed => ("bad", "failed"),
            RunOutcome.Running => ("warn", "running"),
            _ => ("muted", "cancelled"),
        };
        var took = run.FinishedAt is { } end ? " in " + (end - run.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "";
        return $"<span class=\"outcome {css}\">{word}</span>{took}<br><span class=\"muted\">{Html.Time(run.StartedAt)}</span>"
            + (run.Error is null ? "" : $"<br><span class=\"bad\">{Html.E(run.Error)}</span>");
    }

    /// <summary>The last run's skipped orders: the total, then one line per reason (what was left out by design).</summary>
    private static string Skipped(SkipCounts? skipped)
    {
        if (skipped is null || skipped.IsEmpty)
        {
            return "0";
        }

        var cell = new StringBuilder(Html.Count(skipped.Total));
        foreach (var (reason, count) in skipped.Entries)
        {
            cell.Append("<br><span class=\"muted\" data-reason=\"").Append(SkipReasons.Name(reason)).Append("\">")
                .Append(Html.Count(count)).Append(' ').Append(SkipReasons.Name(reason)).Append("</span>");
        }

        return cell.ToString();
    }

    private static void Lag(StringBuilder html, IReadOnlyList<PartitionLag> lag)
    {
        if (lag.Count == 0)
        {
            return;
        }

        html.Append("<section class=\"card\"><h2>Kafka consumer lag</h2><table id=\"kafka-lag\"><thead><tr><th>pipeline</th><th>topic</th><th class=\"n\">partition</th><th class=\"n\">lag (messages)</th></tr></thead><tbody>");
        foreach (var x in lag)
        {
            html.Append("<tr><td>").Append(Html.E(x.Pipeline)).Append("</td><td>").Append(Html.E(x.Topic)).Append("</td><td class=\"n\">")
                .Append(x.Partition).Append("</td><td class=\"n\">").Append(Html.Count(x.Lag)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static string Age(long seconds) =>
        seconds < 120 ? $"{seconds} s" : seconds < 7200 ? $"{seconds / 60} min" : seconds < 172800 ? $"{seconds / 3600} h" : $"{seconds / 86400} days";
}
