namespace Affinsy.Reference.Config;

/// <summary>Everything the users file can say; defaults are the contract's.</summary>
public sealed record ReferenceSettings
{
    /// <summary>The key printed at start when no users file is given.</summary>
    public const string LocalDevKey = "afn_local_dev";

    public required IReadOnlyList<ReferenceUser> Users { get; init; }

    public PlanCaps PlanCaps { get; init; } = new();

    public ServerLimits Limits { get; init; } = new();

    public FaultSettings Faults { get; init; } = new();

    public WebhookSettings Webhooks { get; init; } = new();

    /// <summary>One enterprise user <c>local</c> with the well-known development key.</summary>
    public static ReferenceSettings LocalDefault() => new()
    {
        Users = [new ReferenceUser("local", Plan.Enterprise, [KeyHash.Of(LocalDevKey)])],
    };
}

/// <summary>A user and the hashes of its keys (the server never keeps a key itself).</summary>
public sealed record ReferenceUser(string Id, Plan Plan, IReadOnlyList<string> KeyHashes);

public enum Plan
{
    Free,
    Pro,
    Max,
    Enterprise,
}

/// <summary>Stored line-item rows a user may own per plan; null = unlimited.</summary>
public sealed record PlanCaps
{
    public long? Free { get; init; } = 10_000;

    public long? Pro { get; init; } = 100_000;

    public long? Max { get; init; } = 5_000_000;

    public long? Enterprise { get; init; }

    public long? For(Plan plan) => plan switch
    {
        Plan.Free => Free,
        Plan.Pro => Pro,
        Plan.Max => Max,
        _ => Enterprise,
    };
}

public sealed record ServerLimits
{
    public int RequestsPerWindow { get; init; } = 60;

    public int WindowSeconds { get; init; } = 60;

    public int MaxLineItemsPerRequest { get; init; } = 10_000;

    public int MaxInFlightPerKey { get; init; } = 2;

    public int RequestTimeoutSeconds { get; init; } = 30;

    /// <summary>Simulated ingest time per 1,000 line items, to reproduce the real service's ceiling.</summary>
    public double IngestDelayMsPer1000LineItems { get; init; }
}

public sealed record FaultSettings
{
    /// <summary>Share of requests answered 500/503 before anything is done.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Share of ingest requests applied and then answered 504.</summary>
    public double TimeoutRate { get; init; }

    public int Seed { get; init; } = 1;
}

public sealed record WebhookSettings
{
    /// <summary>Attempts per delivery; the contract asks for at least 5.</summary>
    public int MaxAttempts { get; init; } = 6;

    public int InitialBackoffMs { get; init; } = 1000;

    public int TimeoutSeconds { get; init; } = 10;
}
