using Affinsy.Core.Configuration;
using Affinsy.Host.Operations;
using Affinsy.Host.Sync;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Affinsy.Host.Cli;

/// <summary>
/// Console logging. <c>sync</c> on a terminal shows warnings only under its live display; otherwise lines go out
/// as JSON (one object a line, with the pipeline and run id from the scope) or as text. Every log line goes to
/// stderr whatever its level: stdout carries only what a command produces (tables, JSON), so
/// <c>sync &gt; out.txt</c> or <c>status --json | jq</c> never holds a log line.
/// </summary>
internal static class Logging
{
    public const string Auto = "auto";
    public const string Json = "json";
    public const string Text = "text";

    /// <summary><c>--log-format</c> as given on the command line (every command takes it).</summary>
    public static string Format { get; set; } = Auto;

    /// <summary><c>--quiet</c>: warnings and errors only, and no progress; what the command produces still prints.</summary>
    public static bool Quiet { get; set; }

    /// <summary>The options every command takes, set on the root command so they may appear anywhere on the line.</summary>
    public static (Option<string> Format, Option<bool> Quiet) GlobalOptions()
    {
        var format = new Option<string>("--log-format")
        {
            Description = "Log lines as json (the default when output is not a terminal) or text; they always go to stderr.",
            DefaultValueFactory = _ => Auto,
            Recursive = true,
        };
        format.AcceptOnlyFromAmong(Auto, Json, Text);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors on stderr, and no progress.", Recursive = true };
        return (format, quiet);
    }

    /// <summary>The loggers for a command; every secret of <paramref name="config"/> is masked in what they write.</summary>
    public static ILoggerFactory Create(ConnectorsConfig? config, bool quietOnTerminal = true) => LoggerFactory.Create(b =>
    {
        var format = Format;
        var floor = Quiet ? LogLevel.Warning : LogLevel.Information;
        var json = format == Json || (format == Auto && !SyncConsole.IsTerminal);
        if (json)
        {
            b.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            }).SetMinimumLevel(floor);
        }
        else
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = !quietOnTerminal;
                o.TimestampFormat = "HH:mm:ss ";
            }).SetMinimumLevel(quietOnTerminal && SyncConsole.IsTerminal ? LogLevel.Warning : floor);
        }

        b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        b.AddFilter("System.Net.Http", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Quartz", LogLevel.Warning);
        if (config is not null)
        {
            b.AddSecretRedaction([.. config.Secrets, .. Redaction.SecretsOfConnectionString(config.State.ConnectionString)]);
        }
    });
}
