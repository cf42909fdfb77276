using System.CommandLine;
using System.Diagnostics;
using Affinsy.Core.Configuration;
using Affinsy.Host.Pages;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect report open ID|PIPELINE</c>: prints the path of a saved report's page (by report id), or of a
/// pipeline's latest pages, and opens the page (or the pipeline's section of the index) where there is a desktop.
/// </summary>
internal static class ReportOpenCommand
{
    public static Command Create()
    {
        var config = ConfigFile.Option();
        var target = new Argument<string>("report_id_or_pipeline") { Description = "A report id (rep_...) or a pipeline name." };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Only print the path, even on a desktop." };
        var command = new Command("open", "Print the path of a saved report's HTML page, or of a pipeline's latest pages, and open it on a desktop.") { config, target, noBrowser };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigFile.Load(parse.GetValue(config)!, Console.Error) is not { } loaded)
            {
                return ConfigFile.InvalidConfigExitCode;
            }

            var reports = Path.Combine(loaded.OutputDirectory, "reports");
            var (pages, open) = Find(loaded, reports, parse.GetValue(target)!);
            if (pages.Count == 0)
            {
                await Console.Error.WriteLineAsync($"No saved report page for '{parse.GetValue(target)}' under {reports}: give a report id or one of the pipelines ({string.Join(", ", loaded.Pipelines.Select(p => p.Name))}), and run `affinsy-connect sync` first.");
                return 1;
            }

            foreach (var page in pages)
            {
                Console.WriteLine(page);
            }

            if (!parse.GetValue(noBrowser) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")))
            {
                TryOpen(open);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The pages to print, and what to open: the report's own page, or the pipeline's section of the index.</summary>
    private static (IReadOnlyList<string> Pages, string Open) Find(ConnectorsConfig config, string reports, string target)
    {
        if (!Directory.Exists(reports))
        {
            return ([], "");
        }

        if (config.Pipelines.Any(p => p.Name == target) || Directory.Exists(Path.Combine(reports, target)) && !target.Contains("..", StringComparison.Ordinal))
        {
            var directory = Path.Combine(reports, target);
            var latest = Directory.Exists(directory)
                ? Directory.GetFiles(directory, ReportPages.LatestPage, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
                : [];
            return (latest, new Uri(ReportPages.IndexPath(config.OutputDirectory)).AbsoluteUri + "#pipeline-" + Uri.EscapeDataString(target));
        }

        var page = Directory.GetFiles(reports, $"*-{target}.html", SearchOption.AllDirectories).FirstOrDefault();
        return page is null || target.IndexOfAny(['*', '?', '/', '\\']) >= 0 ? ([], "") : ([page], page);
    }

    /// <summary>Best effort: a desktop without xdg-open still has the printed path.</summary>
    private static void TryOpen(string target)
    {
        try
        {
            using var opener = Process.Start(new ProcessStartInfo("xdg-open") { ArgumentList = { target }, UseShellExecute = false });
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Console.Error.WriteLine($"Could not start xdg-open ({e.Message}); open the path above in a browser.");
        }
    }
}
