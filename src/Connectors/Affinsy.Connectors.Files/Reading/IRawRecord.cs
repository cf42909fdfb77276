namespace Affinsy.Connectors.Files.Reading;

/// <summary>The record being read, as text, decoded only when a refusal needs it.</summary>
internal interface IRawRecord
{
    /// <summary>The record's original text without its line ending.</summary>
    string RawText();

    /// <summary>The record's UTF-8 bytes without its line ending (its first bytes only when <see cref="IsOversized"/>).</summary>
    ReadOnlySpan<byte> Raw { get; }

    /// <summary>True when the record was longer than the reader keeps: <see cref="Raw"/> is only its start.</summary>
    bool IsOversized { get; }

    /// <summary>Offset of the record's first byte in the (decoded) input.</summary>
    long RecordStart { get; }
}
