namespace Affinsy.Emulators.Shopify;

/// <summary>A bulk export: a snapshot of the store taken when it started, done after the configured duration.</summary>
internal sealed record EmulatedBulkOperation(long Number, DateTimeOffset CreatedAt, DateTimeOffset DoneAt, IReadOnlyList<EmulatedOrder> Snapshot, BulkFault? Fault)
{
    public string Id => $"gid://shopify/BulkOperation/{Number}";

    public string Status(DateTimeOffset now) => now < DoneAt ? "RUNNING" : Fault?.Status ?? "COMPLETED";

    public string? FailWith => Fault?.ErrorCode;

    public int Objects => ForeignObjects ?? Snapshot.Sum(o => 1 + o.Lines.Count);

    /// <summary>Set for another query of the app (<see cref="ForeignBulk"/>): the objects its file holds.</summary>
    public int? ForeignObjects { get; init; }

    /// <summary>The finished JSONL result on disk; null for a failing or empty export.</summary>
    public string? ResultFile { get; init; }

    /// <summary>Whether the result groups line items under their order (groupObjects).</summary>
    public bool Grouped { get; init; }
}

/// <summary>
/// How an emulated bulk operation ends badly (shopify.dev GraphQL Admin "BulkOperation": status, errorCode, url,
/// partialDataUrl). <paramref name="Status"/> COMPLETED with <paramref name="PartialOnly"/> models a result that only
/// has partial data.
/// </summary>
internal sealed record BulkFault(string Status, string? ErrorCode, bool PartialOnly = false);
