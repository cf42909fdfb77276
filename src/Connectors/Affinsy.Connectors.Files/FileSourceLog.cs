using System.Globalization;
using Affinsy.Connectors.Files.Reading;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.Files;

/// <summary>What the file sources log.</summary>
internal static partial class FileSourceLog
{
    /// <summary>A last line without a line ending is waiting to be completed: said on every sync so it is never missed.</summary>
    public static void Tail(ILogger logger, SourceFile file, (long Line, long Bytes)? tail)
    {
        if (tail is { } t)
        {
            LineNotEnded(logger, file.Name, t.Line, t.Bytes.ToString(CultureInfo.InvariantCulture));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}:{Line}: the last line ({Bytes} bytes) has no line ending yet, so it was not read: it is read by the next sync once it is complete. If the file is finished, end it with a newline.")]
    private static partial void LineNotEnded(ILogger logger, string file, long line, string bytes);
}
