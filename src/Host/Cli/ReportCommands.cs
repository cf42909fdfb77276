using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Affinsy.Core.Configuration;
using Affinsy.Host.Sync;
using Affinsy.Sink;
using Affinsy.Sink.Api;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect report create|get|list|export|open</c>: reports on demand, against the configured Affinsy. A report
/// prints as <c>sync</c> prints it (rules, segments, insights); <c>--json</c> gives the API's document instead.
/// </summary>
internal static class ReportCommands
{
    public static Command Create()
    {
        var report = new Command("report", "Create, fetch or list Affinsy reports, or open a saved report's page.");
        report.Subcommands.Add(CreateReport());
        report.Subcommands.Add(Get());
        report.Subcommands.Add(List());
        report.Subcommands.Add(ReportExportCommand.Create());
        report.Subcommands.Add(ReportOpenCommand.Create());
        return report;
    }

    private static Command CreateReport()
    {
        var config = ConfigFile.Option();
        var dataset = new Option<string>("--dataset") { Description = "Dataset id.", Required = true };
        var template = new Option<string?>("--template") { Description = "standard_mba, first_order, repeat_purchase, high_value_baskets, churning_analysis, standard_rfm or new_customer_cohort." };
        var type = new Option<string?>("--type") { Description = "MBA or RFM (when no template)." };
        var parameters = new Option<string[]>("--param") { Description = "A param as name=value, e.g. --param min_support=0.02 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var wait = new Option<bool>("--wait") { Description = "Poll until the report finishes, print it, and save it with its page under output_dir." };
        var noSave = new Option<bool>("--no-save") { Description = "With --wait: print the report without saving it." };
        var from = new Option<string?>("--from") { Description = "Only orders dated on or after this day (YYYY-MM-DD, order_date)." };
        var to = new Option<string?>("--to") { Description = "Only orders dated on or before this day (YYYY-MM-DD, order_date)." };
        var asJson = JsonOption();
        var command = new Command("create", "Start a report.") { config, dataset, template, type, parameters, from, to, wait, noSave, asJson };
        command.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config)!, async (client, loaded) =>
        {
            var json = new JsonObject();
            foreach (var p in parse.GetValue(parameters) ?? [])
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UserFacingException($"--param '{p}' is not name=value.");
                }

                json[p[..eq]] = JsonNode.Parse(IsJsonScalar(p[(eq + 1)..]) ? p[(eq + 1)..] : JsonSerializer.Serialize(p[(eq + 1)..], AffinsyJsonContext.Default.String));
            }

            var (start, end) = (Day("--from", parse.GetValue(from)), Day("--to", parse.GetValue(to)));
            if (start > end)
            {
                throw new UserFacingException($"--from {start:yyyy-MM-dd} is after --to {end:yyyy-MM-dd}: the report would hold no order.");
            }

            var accepted = await client.CreateReportAsync(new ReportRequest(parse.GetValue(dataset)!)
            {
                Template = parse.GetValue(template),
                ReportType = parse.GetValue(type),
                Params = json.Count == 0 ? null : json,
                Filters = start is null && end is null ? null : new ReportFilters(new DateRange(start, end)),
            }, ct);
            if (!(parse.GetValue(wait) && parse.GetValue(asJson)))
            {
                Console.WriteLine($"{accepted.ReportId}: {accepted.Status}");
            }

            if (parse.GetValue(wait))
            {
                var report = await client.WaitForReportAsync(accepted.ReportId, TimeSpan.FromSeconds(2), ct);
                Print(report, parse.GetValue(asJson));
                if (!parse.GetValue(noSave))
                {
                    await SaveAsync(loaded, report, parse.GetValue(asJson), ct);
                }
            }
        }, ct));
        return command;
    }

    private static DateOnly? Day(string option, string? text) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new UserFacingException($"{option} '{text}' is not a date: write it as YYYY-MM-DD (both ends are included).");

    private static Command Get()
    {
        var config = ConfigFile.Option();
        var id = new Argument<string>("report_id");
        var json = JsonOption();
        var save = new Option<bool>("--save") { Description = "Also save it with its page under output_dir, as sync saves its reports." };
        var command = new Command("get", "Print a report: its rules or segments and insights, or with --json the API's document.") { config, id, save, json };
        command.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config)!, async (client, loaded) =>
        {
            var report = await client.GetReportAsync(parse.GetValue(id)!, ct)
                ?? throw new UserFacingException($"Report {parse.GetValue(id)} not found: `affinsy-connect report list` shows the reports of this key.");
            Print(report, parse.GetValue(json));
            if (parse.GetValue(save))
            {
                await SaveAsync(loaded, report, parse.GetValue(json), ct);
            }
        }, ct));
        return command;
    }

    private static Command List()
    {
        var config = ConfigFile.Option();
        var dataset = new Option<string?>("--dataset") { Description = "Only this dataset." };
        var status = new Option<string?>("--status") { Description = "Processing, Completed or Failed (any case)." };
        status.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && StatusNamed(value) is null)
            {
                result.AddError($"--status '{value}' is not a report status: Processing, Completed or Failed.");
            }
        });
        var json = JsonOption();
        var command = new Command("list", "List reports (without results).") { config, dataset, status, json };
        command.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config)!, async client =>
        {
            var reports = await client.ListReportsAsync(parse.GetValue(dataset), parse.GetValue(status) is { } s ? StatusNamed(s) : null, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new ReportList(reports), AffinsyJsonContext.Default.ReportList));
                return;
            }

            // Ids are copied from here into `report get`: never wrapped, whatever the terminal's width.
            var table = new Table().AddColumn(new TableColumn("report").NoWrap()).AddColumns("dataset", "type", "template", "status", "created (UTC)");
            foreach (var r in reports)
            {
                table.AddRow(Markup.Escape(r.ReportId), Markup.Escape(r.DatasetId), r.ReportType, Markup.Escape(r.Template ?? "-"), r.Status,
                    r.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(reports.Count == 1 ? "1 report." : $"{reports.Count} reports.");
        }, ct));
        return command;
    }

    private static bool IsJsonScalar(string text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) || text is "true" or "false";

    private static Option<bool> JsonOption() => new("--json") { Description = "Print the API's JSON document instead of tables." };

    /// <summary>The API's spelling of a status given in any case; null when it is none.</summary>
    private static string? StatusNamed(string value) =>
        new[] { Report.Processing, Report.Completed, Report.Failed }.FirstOrDefault(s => s.Equals(value, StringComparison.OrdinalIgnoreCase));

    private static void Print(Report report, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, AffinsyJsonContext.Default.Report));
            return;
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Template ?? report.Name ?? report.ReportType)}[/] ({report.ReportType}, {Markup.Escape(report.ReportId)}, dataset {Markup.Escape(report.DatasetId)}): {report.Status}");
        SyncConsole.ReportBody(report);
    }

    /// <summary>
    /// Saves a finished report beside those of the pipeline that feeds its dataset (or under the dataset's id when none
    /// does) and says where its page is: on stdout with the tables, on stderr under <c>--json</c> so stdout stays JSON.
    /// </summary>
    private static async Task SaveAsync(ConnectorsConfig config, Report report, bool json, CancellationToken ct)
    {
        if (!report.IsFinished)
        {
            return;
        }

        var pipeline = config.Pipelines.FirstOrDefault(p => p.DatasetId == report.DatasetId);
        var path = await SavedReports.SaveAsync(
            config.OutputDirectory,
            pipeline?.Name ?? report.DatasetId,
            report.Template ?? report.Name ?? report.ReportType,
            report,
            pipeline?.KeepReports ?? PipelineConfig.DefaultKeepReports,
            TimeProvider.System.GetUtcNow(),
            ct);
        var line = $"Saved: {path}{Environment.NewLine}Page: {Path.ChangeExtension(path, ".html")}";
        if (json)
        {
            await Console.Error.WriteLineAsync(line);
        }
        else
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>Opens the configured Affinsy (starting the embedded server when so configured) and runs one action.</summary>
    internal static Task<int> WithClientAsync(string configPath, Func<AffinsyClient, Task> action, CancellationToken ct) =>
        WithClientAsync(configPath, (client, _) => action(client), ct);

    /// <summary>Opens the configured Affinsy and runs one action that also reads the configuration (where to save).</summary>
    internal static async Task<int> WithClientAsync(string configPath, Func<AffinsyClient, ConnectorsConfig, Task> action, CancellationToken ct)
    {
        if (ConfigFile.Load(configPath, Console.Error) is not { } loaded)
        {
            return ConfigFile.InvalidConfigExitCode;
        }

        try
        {
            await using var endpoint = await AffinsyEndpoint.OpenAsync(loaded, ct);
            await using var services = ConnectServices.Build(loaded, NullLoggerFactory.Instance, TimeProvider.System);
            using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(ConnectHttp.Reports);
            var sender = new AffinsySender(http, new SinkOptions { BaseUrl = endpoint.ApiBase, ApiKey = endpoint.ApiKey });
            await action(sender.Client, loaded);
            return 0;
        }
        catch (Exception e) when (e is UserFacingException or AffinsyApiException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
