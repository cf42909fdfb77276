using System.Text.Json.Serialization;
using Affinsy.Core.Configuration;
using Affinsy.Host.Cli;
using Affinsy.Host.Pages;
using Affinsy.Host.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Affinsy.Host.Worker;

/// <summary>
/// The worker's read-only status: <c>GET /</c> (a page that refreshes itself), <c>GET /api/status</c> (the same as
/// JSON), and <c>GET /reports/...</c> (the saved report pages and JSON under <c>output_dir/reports</c>). It shows
/// what <c>affinsy-connect status</c> shows: names, counts, times and errors written for users, never a secret.
/// </summary>
internal static class StatusEndpoints
{
    public const int RefreshSeconds = 5;

    public static void MapStatusPages(this IEndpointRouteBuilder app, ConnectorsConfig config, ConnectRuntime runtime, KafkaLagWatch lag, TimeProvider time)
    {
        var reports = Path.GetFullPath(Path.Combine(config.OutputDirectory, "reports"));
        app.MapGet("/", async (CancellationToken ct) =>
            Results.Content(StatusPage.Render(await ReadAsync(config, runtime, lag, reports, time, ct), RefreshSeconds), "text/html; charset=utf-8"));
        app.MapGet("/api/status", async (CancellationToken ct) =>
            Results.Json(await ReadAsync(config, runtime, lag, reports, time, ct), WorkerStatusJsonContext.Default.WorkerStatus));
        app.MapGet("/reports/{**path}", (string? path) => ReportFile(reports, path));
    }

    private static async Task<WorkerStatus> ReadAsync(ConnectorsConfig config, ConnectRuntime runtime, KafkaLagWatch lag, string reports, TimeProvider time, CancellationToken ct)
    {
        var pipelines = await StatusCommand.ReadAsync(config, runtime.State, time, ct);
        var pages = pipelines.SelectMany(p => p.LatestReports)
            .Select(r => (r.Pipeline, r.Template, File: Path.Combine(reports, r.Pipeline, r.Template, ReportPages.LatestPage)))
            .Where(x => File.Exists(x.File))
            .Select(x => new ReportPageLink(x.Pipeline, x.Template, $"/reports/{Uri.EscapeDataString(x.Pipeline)}/{Uri.EscapeDataString(x.Template)}/{ReportPages.LatestPage}"))
            .ToList();
        return new WorkerStatus(runtime.Worker, time.GetUtcNow(), pipelines, lag.Snapshot(), pages,
            File.Exists(Path.Combine(reports, ReportPages.IndexFile)) ? "/reports/" + ReportPages.IndexFile : null);
    }

    /// <summary>A saved page or JSON under the reports directory; anything else (another type, a path outside it) is 404.</summary>
    private static IResult ReportFile(string reports, string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var full = Path.GetFullPath(Path.Combine(reports, path));
        var inside = full.StartsWith(reports + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var type = Path.GetExtension(full) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".json" => "application/json",
            _ => null,
        };
        return inside && type is not null && File.Exists(full) ? Results.File(full, type) : Results.NotFound();
    }
}

/// <summary>The body of <c>/api/status</c>, and what <c>/</c> shows.</summary>
internal sealed record WorkerStatus(
    string Worker,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<PipelineStatus> Pipelines,
    IReadOnlyList<PartitionLag> KafkaLag,
    IReadOnlyList<ReportPageLink> ReportPages,
    string? ReportIndex);

/// <summary>A pipeline's latest page of one template, as served by the worker.</summary>
internal sealed record ReportPageLink(string Pipeline, string Template, string Href);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(WorkerStatus))]
internal sealed partial class WorkerStatusJsonContext : JsonSerializerContext;
