namespace Affinsy.Core.Configuration;

/// <summary>A validated <c>connectors.yaml</c>. Produced only by <see cref="ConnectorsConfigLoader"/>.</summary>
public sealed record ConnectorsConfig
{
    /// <summary>The file it was read from (as given), used in messages.</summary>
    public required string FileName { get; init; }

    /// <summary>The directory relative paths in the file are resolved against.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>The <c>affinsy:</c> section.</summary>
    public required AffinsySettings Affinsy { get; init; }

    /// <summary>The <c>state:</c> section.</summary>
    public required StateSettings State { get; init; }

    /// <summary>The <c>webhooks:</c> section.</summary>
    public required WebhookSettings Webhooks { get; init; }

    /// <summary>The <c>worker:</c> section (used by <c>affinsy-connect run</c>).</summary>
    public WorkerSettings Worker { get; init; } = new();

    /// <summary>Where results are written (<c>output_dir</c>, default <c>out</c> beside the file): reports go to <c>reports/&lt;pipeline&gt;/</c> under it.</summary>
    public string OutputDirectory { get; init; } = "out";

    /// <summary>Warnings found while validating (the file is valid; <c>validate</c> prints them).</summary>
    public IReadOnlyList<ConfigProblem> Warnings { get; init; } = [];

    /// <summary>Values of secret keys (API keys, tokens, passwords, connection strings): logs mask them.</summary>
    public IReadOnlyCollection<string> Secrets { get; init; } = [];

    /// <summary>The pipelines, in file order; names are unique.</summary>
    public required IReadOnlyList<PipelineConfig> Pipelines { get; init; }

    /// <summary>
    /// The pipelines run when none is named (by <c>sync</c>, <c>check</c>) and the only ones a worker schedules or
    /// streams: those not set <c>enabled: false</c>.
    /// </summary>
    public IReadOnlyList<PipelineConfig> EnabledPipelines => [.. Pipelines.Where(p => p.Enabled)];
}
