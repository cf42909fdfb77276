namespace Affinsy.Testing.Shopify;

/// <summary>A bulk export: a snapshot of the store taken when it started, done after the configured duration.</summary>
internal sealed record EmulatedBulkOperation(long Number, DateTimeOffset CreatedAt, DateTimeOffset DoneAt, IReadOnlyList<EmulatedOrder> Snapshot, string? FailWith)
{
    public string Id => $"gid://shopify/BulkOperation/{Number}";

    public string Status(DateTimeOffset now) => now < DoneAt ? "RUNNING" : FailWith is null ? "COMPLETED" : "FAILED";

    public int Objects => Snapshot.Sum(o => 1 + o.Lines.Count);

    /// <summary>The finished JSONL result on disk; null for a failing or empty export.</summary>
    public string? ResultFile { get; init; }
}
