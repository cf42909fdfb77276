using Affinsy.Connectors.Files.Reading;
using Affinsy.Core.Configuration;

namespace Affinsy.Connectors.Files;

/// <summary>YAML keys shared by the file sources.</summary>
internal static class FileSourceBinding
{
    public static readonly string[] SharedKeys = ["batch_max_orders", "batch_max_line_items", "encoding", "max_field_bytes", "max_record_bytes"];

    public static int MaxOrders(ConfigSection section) => section.GetInt("batch_max_orders", 2_000, 1, 100_000);

    public static int MaxLineItems(ConfigSection section) => section.GetInt("batch_max_line_items", 10_000, 1, 100_000);

    /// <summary><c>encoding</c>: utf-8 (default), latin1, windows-1252 or utf-16; a byte order mark in the file wins.</summary>
    public static FileEncoding Encoding(ConfigSection section) =>
        FileEncodings.Parse(section.GetChoice("encoding", "utf-8", FileEncodings.Names));

    /// <summary><c>max_field_bytes</c> (quoted CSV field, default 1 MiB) and <c>max_record_bytes</c> (default 8 MiB).</summary>
    public static ReaderLimits Limits(ConfigSection section) => new(
        MaxRecordBytes: section.GetInt("max_record_bytes", ReaderLimits.Default.MaxRecordBytes, 4 * 1024, 256 * 1024 * 1024),
        MaxFieldBytes: section.GetInt("max_field_bytes", ReaderLimits.Default.MaxFieldBytes, 1024, 256 * 1024 * 1024));
}
