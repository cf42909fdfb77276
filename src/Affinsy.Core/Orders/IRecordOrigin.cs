namespace Affinsy.Core.Orders;

/// <summary>
/// Where a draft came from, for its dead letter if the pipeline refuses it. Read only on a refusal, so an
/// implementation can keep what it has (a line number, the raw message) and format it lazily.
/// </summary>
public interface IRecordOrigin
{
    /// <summary>Where in the source it was (line number, offset, message coordinates).</summary>
    string Position { get; }

    /// <summary>The raw record as read, for replay after a fix.</summary>
    string OriginalRecord { get; }
}

/// <summary>Ready-made <see cref="IRecordOrigin"/>s.</summary>
public static class RecordOrigin
{
    /// <summary>An origin known up front.</summary>
    public static IRecordOrigin Of(string position, string originalRecord) => new Fixed(position, originalRecord);

    /// <summary>An origin formatted only when a refusal needs it.</summary>
    public static IRecordOrigin Deferred(Func<string> position, Func<string> originalRecord) => new Lazy(position, originalRecord);

    private sealed record Fixed(string Position, string OriginalRecord) : IRecordOrigin;

    private sealed class Lazy(Func<string> position, Func<string> originalRecord) : IRecordOrigin
    {
        public string Position => position();

        public string OriginalRecord => originalRecord();
    }
}
