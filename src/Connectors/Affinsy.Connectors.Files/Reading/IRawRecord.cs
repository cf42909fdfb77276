namespace Affinsy.Connectors.Files.Reading;

/// <summary>The record being read, as text, decoded only when a refusal needs it.</summary>
internal interface IRawRecord
{
    /// <summary>The record's original text without its line ending.</summary>
    string RawText();

    /// <summary>Offset of the record's first byte in the (decoded) input.</summary>
    long RecordStart { get; }
}
