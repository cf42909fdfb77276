using Affinsy.Core.Configuration;
using Affinsy.Host.Operations;
using Affinsy.Host.Sync;
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

    /// <summary>The loggers for a command; every secret of <paramref name="config"/> is masked in what they write.</summary>
    public static ILoggerFactory Create(ConnectorsConfig? config, string format = Auto, bool quietOnTerminal = true) => LoggerFactory.Create(b =>
    {
        var json = format == Json || (format == Auto && !SyncConsole.IsTerminal);
        if (json)
        {
            b.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            }).SetMinimumLevel(LogLevel.Information);
        }
        else
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = !quietOnTerminal;
                o.TimestampFormat = "HH:mm:ss ";
            }).SetMinimumLevel(quietOnTerminal && SyncConsole.IsTerminal ? LogLevel.Warning : LogLevel.Information);
        }

        b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        b.AddFilter("System.Net.Http", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Quartz", LogLevel.Warning);
        if (config is not null)
        {
            b.AddSecretRedaction([.. config.Secrets, .. Redaction.SecretsOfConnectionString(config.State.ConnectionString)]);
        }
    });
}
