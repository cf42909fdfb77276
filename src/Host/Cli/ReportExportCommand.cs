using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Affinsy.Host.Sync;

namespace Affinsy.Host.Cli;

/// <summary>
/// <c>affinsy-connect report export ID --format csv|json [--output FILE]</c>: every rule of an MBA report, or every
/// segment of an RFM report, not only the ten <c>get</c> prints. Columns are the API's fields as it sends them (so a
/// field Affinsy adds later is exported too); an itemset is its products joined by " + ".
/// </summary>
internal static class ReportExportCommand
{
    public static Command Create()
    {
        var config = ConfigFile.Option();
        var id = new Argument<string>("report_id");
        var format = new Option<string>("--format") { Description = "csv or json.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Write every rule or segment of a report as CSV or JSON.") { config, id, format, output };
        command.SetAction((parse, ct) => ReportCommands.WithClientAsync(parse.GetValue(config)!, async client =>
        {
            var reportId = parse.GetValue(id)!;
            var report = await client.GetReportAsync(reportId, ct)
                ?? throw new UserFacingException($"Report {reportId} not found: `affinsy-connect report list` shows the reports of this key.");
            if (report.Results is not { ValueKind: JsonValueKind.Object } results)
            {
                throw new UserFacingException($"Report {reportId} is {report.Status} and has no results to export{(report.Error is null ? "" : ": " + report.Error)}.");
            }

            var rows = results.TryGetProperty("rules", out var rules) ? rules
                : results.TryGetProperty("segments", out var segments) ? segments
                : throw new UserFacingException($"Report {reportId} ({report.ReportType}) has neither rules nor segments to export.");
            var text = parse.GetValue(format) == "json" ? rows.GetRawText() + "\n" : Csv(rows);
            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), ct);
                await Console.Error.WriteLineAsync($"{rows.GetArrayLength():N0} rows written to {Path.GetFullPath(path)}.");
            }
            else
            {
                await Console.Out.WriteAsync(text);
            }
        }, ct));
        return command;
    }

    /// <summary>RFC 4180 CSV: one column per field of the first row, in the API's order.</summary>
    internal static string Csv(JsonElement rows)
    {
        var columns = rows.GetArrayLength() == 0 ? [] : rows[0].EnumerateObject().Select(p => p.Name).ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(Quote)).Append("\r\n");
        foreach (var row in rows.EnumerateArray())
        {
            csv.AppendJoin(',', columns.Select(c => Quote(row.TryGetProperty(c, out var value) ? Cell(value) : ""))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(" + ", value.EnumerateArray().Select(Cell)),
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
