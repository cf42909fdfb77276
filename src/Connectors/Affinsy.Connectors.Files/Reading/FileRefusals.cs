using System.Globalization;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>Reasons for records refused before their fields are read, shared by the CSV and JSON Lines sources.</summary>
internal static class FileRefusals
{
    public static string Oversized(RecordReader reader) => string.Create(
        CultureInfo.InvariantCulture,
        $"record of {reader.RecordEnd - reader.RecordStart} bytes, longer than max_record_bytes: only its first bytes are kept here; a delimiter or line-ending problem in the export? Raise source.max_record_bytes if records this long are real");

    public static string InvalidUtf8(long offset, long recordStart) => string.Create(
        CultureInfo.InvariantCulture,
        $"invalid UTF-8 at byte offset {offset} (byte {offset - recordStart} of this record, shown as \\xNN): the file is not UTF-8; set source.encoding to the export's encoding: latin1 | windows-1252 | utf-16");
}
