using Affinsy.Sink.Api;

namespace Affinsy.Host.Pages;

/// <summary>
/// Writes the HTML beside a saved report: <c>&lt;time&gt;-&lt;report_id&gt;.html</c> and <c>latest.html</c> next to
/// its JSON, drops pages whose JSON was pruned, and rewrites <c>reports/index.html</c>.
/// </summary>
internal static class ReportPages
{
    public const string IndexFile = "index.html";
    public const string LatestPage = "latest.html";

    /// <summary>Where the index of every pipeline's latest reports is, under an output directory.</summary>
    public static string IndexPath(string outputDirectory) => Path.Combine(outputDirectory, "reports", IndexFile);

    /// <summary>Writes the pages of one saved report; returns the path of its page.</summary>
    /// <param name="savedJson">The report's JSON file, <c>reports/&lt;pipeline&gt;/&lt;template&gt;/&lt;name&gt;.json</c> under <paramref name="outputDirectory"/>.</param>
    public static async Task<string> WriteAsync(string outputDirectory, string pipeline, string savedJson, Report report, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(savedJson)!;
        var page = Path.ChangeExtension(savedJson, ".html");
        var html = ReportPage.Render(report, pipeline, "../../" + IndexFile);
        await WriteAtomicallyAsync(page, html, ct);
        await WriteAtomicallyAsync(Path.Combine(directory, LatestPage), html, ct);
        foreach (var orphan in Directory.GetFiles(directory, "*-*.html").Where(p => !File.Exists(Path.ChangeExtension(p, ".json"))))
        {
            File.Delete(orphan);
        }

        await WriteAtomicallyAsync(IndexPath(outputDirectory), ReportIndex.Render(Path.Combine(outputDirectory, "reports")), ct);
        return page;
    }

    /// <summary>Readers (a browser, the worker's status page) see the old page or the new one, never half of one.</summary>
    private static async Task WriteAtomicallyAsync(string path, string html, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, html, ct);
        File.Move(temporary, path, overwrite: true);
    }
}
