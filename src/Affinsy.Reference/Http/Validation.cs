namespace Affinsy.Reference.Http;

internal static class Validation
{
    /// <summary>The contract's dataset id: 1-128 characters of [A-Za-z0-9._-].</summary>
    public static bool IsDatasetId(string? id) =>
        id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
