namespace Affinsy.Emulators.Shopify;

/// <summary>
/// Another bulk query of the same app (a products export) that the emulator starts right after each orders export, so
/// that <c>currentBulkOperation</c> ("the app's most recent BulkOperation") names it and not ours. shopify.dev "Perform
/// bulk operations with the GraphQL Admin API" (https://shopify.dev/docs/api/usage/bulk-operations/queries): from
/// 2026-01 an app may run up to five bulk query operations at a time per shop; changelog 2025-12-15 "Faster bulk
/// operations": five concurrent operations. Only a client that follows its own operation by id reads the right file.
/// </summary>
public enum ForeignBulk
{
    /// <summary>No other operation: <c>currentBulkOperation</c> is ours.</summary>
    None,

    /// <summary>It completes before ours, with a products result file.</summary>
    Completed,

    /// <summary>It never finishes.</summary>
    Running,

    /// <summary>It fails (INTERNAL_SERVER_ERROR) before ours completes.</summary>
    Failed,
}
