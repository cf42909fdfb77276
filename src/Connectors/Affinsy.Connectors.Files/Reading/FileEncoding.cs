using System.Text;

namespace Affinsy.Connectors.Files.Reading;

/// <summary>The <c>encoding:</c> of a source file; the readers work on UTF-8, so any other is transcoded as it is read.</summary>
internal enum FileEncoding
{
    /// <summary>UTF-8 (the default); bytes that are not UTF-8 refuse their record.</summary>
    Utf8,

    /// <summary>ISO-8859-1: every byte is the character of the same number.</summary>
    Latin1,

    /// <summary>Windows-1252, what Excel and many Windows tools write as "ANSI".</summary>
    Windows1252,

    /// <summary>UTF-16, little-endian unless a byte order mark says otherwise.</summary>
    Utf16,
}

/// <summary>Names and <see cref="Encoding"/>s of <see cref="FileEncoding"/>.</summary>
internal static class FileEncodings
{
    public static readonly string[] Names = ["utf-8", "latin1", "windows-1252", "utf-16"];

    public static FileEncoding Parse(string name) => name switch
    {
        "latin1" => FileEncoding.Latin1,
        "windows-1252" => FileEncoding.Windows1252,
        "utf-16" => FileEncoding.Utf16,
        _ => FileEncoding.Utf8,
    };

    /// <summary>
    /// The encoding to transcode from; null for UTF-8. Decoding failures throw rather than becoming U+FFFD,
    /// so a wrong encoding is never merged into another product's name silently.
    /// </summary>
    public static Encoding? Of(FileEncoding encoding, bool bigEndian = false) => encoding switch
    {
        FileEncoding.Latin1 => Encoding.Latin1,
        FileEncoding.Windows1252 => CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
            ?? throw new InvalidOperationException("windows-1252 is not available in this runtime"),
        FileEncoding.Utf16 => Encoding.GetEncoding(bigEndian ? 1201 : 1200, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        _ => null,
    };

    public static string Name(FileEncoding encoding) => Names[(int)encoding];
}
