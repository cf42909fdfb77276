using Affinsy.Core.Sources;
using Microsoft.Extensions.Logging;

namespace Affinsy.Core.Configuration;

/// <summary>One validated pipeline: where orders come from, which dataset they feed, what runs after.</summary>
public sealed class PipelineConfig
{
    /// <summary>Unique name, <c>[A-Za-z0-9._-]</c>; keys checkpoints and dead letters.</summary>
    public required string Name { get; init; }

    /// <summary>The Affinsy dataset id (1-128 of <c>[A-Za-z0-9._-]</c>).</summary>
    public required string DatasetId { get; init; }

    /// <summary>The source's <c>type</c>.</summary>
    public required string SourceType { get; init; }

    /// <summary>Quartz cron expression as written; null: on demand only. Validated by the Host's scheduler.</summary>
    public string? Schedule { get; init; }

    /// <summary>Reports to trigger after a successful sync.</summary>
    public IReadOnlyList<ReportSettings> Reports { get; init; } = [];

    /// <summary>1-based line of the pipeline in the file.</summary>
    public int Line { get; init; }

    /// <summary>The source factory the plugin bound from the YAML section.</summary>
    public required SourceFactory SourceFactory { get; init; }

    /// <summary>The configuration's directory, for relative paths.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>Creates this pipeline's source.</summary>
    public IOrderSource CreateSource(TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        SourceFactory(new SourceContext(Name, DatasetId, BaseDirectory, timeProvider, loggerFactory));
}
