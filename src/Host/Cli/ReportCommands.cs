using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Affinsy.Host.Sync;
using Affinsy.Sink;
using Affinsy.Sink.Api;
using Affinsy.Sink.Sending;

namespace Affinsy.Host.Cli;

/// <summary><c>affinsy-connect report create|get|list|open</c>: reports on demand, against the configured Affinsy.</summary>
internal static class ReportCommands
{
    public static Command Create()
    {
        var report = new Command("report", "Create, fetch or list Affinsy reports, or open a saved report's page.");
        report.Subcommands.Add(CreateReport());
        report.Subcommands.Add(Get());
        report.Subcommands.Add(List());
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
        var wait = new Option<bool>("--wait") { Description = "Poll until the report finishes and print it." };
        var command = new Command("create", "Start a report.") { config, dataset, template, type, parameters, wait };
        command.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config)!, async client =>
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

            var accepted = await client.CreateReportAsync(new ReportRequest(parse.GetValue(dataset)!)
            {
                Template = parse.GetValue(template),
                ReportType = parse.GetValue(type),
                Params = json.Count == 0 ? null : json,
            }, ct);
            Console.WriteLine($"{accepted.ReportId}: {accepted.Status}");
            if (parse.GetValue(wait))
            {
                Print(await client.WaitForReportAsync(accepted.ReportId, TimeSpan.FromSeconds(2), ct));
            }
        }, ct));
        return command;
    }

    private static Command Get()
    {
        var config = ConfigFile.Option();
        var id = new Argument<string>("report_id");
        var command = new Command("get", "Print a report as JSON.") { config, id };
        command.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config)!, async client =>
        {
            var report = await client.GetReportAsync(parse.GetValue(id)!, ct) ?? throw new UserFacingException($"Report {parse.GetValue(id)} not found.");
            Print(report);
        }, ct));
        return command;
    }

    private static Command List()
    {
        var config = ConfigFile.Option();
        var dataset = new Option<string?>("--dataset") { Description = "Only this dataset." };
        var status = new Option<string?>("--status") { Description = "Processing, Completed or Failed." };
        var command = new Command("list", "List reports (without results).") { config, dataset, status };
        command.SetAction((parse, ct) => WithClientAsync(parse.GetValue(config)!, async client =>
        {
            foreach (var r in await client.ListReportsAsync(parse.GetValue(dataset), parse.GetValue(status), ct))
            {
                Console.WriteLine($"{r.ReportId}  {r.DatasetId}  {r.ReportType}  {r.Template ?? "-"}  {r.Status}  {r.CreatedAt:u}");
            }
        }, ct));
        return command;
    }

    private static bool IsJsonScalar(string text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) || text is "true" or "false";

    private static void Print(Report report) =>
        Console.WriteLine(JsonSerializer.Serialize(report, AffinsyJsonContext.Default.Report));

    /// <summary>Opens the configured Affinsy (starting the embedded server when so configured) and runs one action.</summary>
    private static async Task<int> WithClientAsync(string configPath, Func<AffinsyClient, Task> action, CancellationToken ct)
    {
        if (ConfigFile.Load(configPath, Console.Error) is not { } loaded)
        {
            return ConfigFile.InvalidConfigExitCode;
        }

        try
        {
            await using var endpoint = await AffinsyEndpoint.OpenAsync(loaded, ct);
            using var http = new HttpClient();
            var sender = new AffinsySender(http, new SinkOptions { BaseUrl = endpoint.ApiBase, ApiKey = endpoint.ApiKey });
            await action(sender.Client);
            return 0;
        }
        catch (Exception e) when (e is UserFacingException or AffinsyApiException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
