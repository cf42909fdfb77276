namespace Affinsy.Connectors.Files.Reading;

/// <summary>
/// How far a record may run before it is no longer read whole. A record past <see cref="MaxRecordBytes"/> is
/// skipped to its line ending without being buffered and refused with its first <see cref="KeptBytes"/>; a
/// quoted field past <see cref="MaxFieldBytes"/> is taken for an unclosed quote and fails the run, since no
/// line ending after it can be trusted.
/// </summary>
/// <param name="MaxRecordBytes">Longest record read whole (default 8 MiB: a JSON order of 10,000 long-named products).</param>
/// <param name="MaxFieldBytes">Longest quoted CSV field (default 1 MiB).</param>
/// <param name="KeptBytes">Leading bytes of an oversized record kept for its dead letter.</param>
internal sealed record ReaderLimits(int MaxRecordBytes = 8 * 1024 * 1024, int MaxFieldBytes = 1024 * 1024, int KeptBytes = 4 * 1024)
{
    public static ReaderLimits Default { get; } = new();
}
