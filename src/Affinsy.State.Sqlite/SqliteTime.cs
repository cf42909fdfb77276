using System.Globalization;
using Affinsy.Core.State;

namespace Affinsy.State.Sqlite;

/// <summary>
/// Times in the state file: fixed-width UTC text, so that text order is time order (comparisons in SQL work) and the
/// file stays readable with the sqlite3 shell.
/// </summary>
internal static class SqliteTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Text(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static object Text(DateTimeOffset? at) => at is { } value ? Text(value) : DBNull.Value;

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
