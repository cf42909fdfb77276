using Affinsy.Host.Sync;
using Microsoft.Extensions.Logging;

namespace Affinsy.Host.Cli;

/// <summary>Console logging: warnings only under a live terminal display, structured lines otherwise.</summary>
internal static class Logging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(b =>
    {
        if (SyncConsole.IsTerminal)
        {
            b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            }).SetMinimumLevel(LogLevel.Information);
        }

        b.AddFilter("System.Net.Http", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
    });
}
