using System.Globalization;
using System.Text.Json;
using Affinsy.Sink.Api;

namespace Affinsy.Host.Sync;

/// <summary>
/// Where a finished report is kept: <c>out/reports/&lt;folder&gt;/&lt;template&gt;/&lt;utc time&gt;-&lt;report_id&gt;.json</c>,
/// a copy as <c>latest.json</c>, the newest <c>keep</c> of each template, each with its HTML page. The folder is the
/// pipeline's name, so a report asked for on the command line lands beside the ones its pipeline's syncs collect.
/// </summary>
internal static class SavedReports
{
    /// <summary>Saves the report and its pages; returns the path of its JSON (its page is beside it, <c>.html</c>).</summary>
    public static async Task<string> SaveAsync(string outputDirectory, string folder, string template, Report report, int keep, DateTimeOffset finished, CancellationToken ct)
    {
        var directory = Path.Combine(outputDirectory, "reports", SafeName(folder), SafeName(template));
        var path = Path.Combine(directory, $"{finished.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{SafeName(report.ReportId)}.json");
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(report, AffinsyJsonContext.Default.Report);
        await File.WriteAllTextAsync(path, json, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), json, ct);
        Prune(directory, keep);
        await Pages.ReportPages.WriteAsync(outputDirectory, folder, path, report, ct);
        return path;
    }

    /// <summary>A template, report id or dataset id as one path segment: no separators, no "..".</summary>
    public static string SafeName(string text)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = string.Concat(text.Select(c => Array.IndexOf(invalid, c) >= 0 || c == '\\' ? '_' : c));
        return safe is "" or "." or ".." ? "_" : safe;
    }

    /// <summary>Keeps the newest <paramref name="keep"/> results (their names sort by time).</summary>
    private static void Prune(string directory, int keep)
    {
        var results = Directory.GetFiles(directory, "*-*.json").Order(StringComparer.Ordinal).ToList();
        foreach (var old in results.Take(Math.Max(0, results.Count - keep)))
        {
            File.Delete(old);
        }
    }
}
