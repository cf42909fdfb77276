using Affinsy.Core.Configuration;

namespace Affinsy.Core.Sources;

/// <summary>
/// A kind of source (<c>csv</c>, <c>shopify</c>...): validates its YAML section and binds it to options.
/// Binding does no I/O beyond cheap checks (a file exists), so <c>affinsy-connect validate</c> can run
/// it for every pipeline; the returned <see cref="BoundSource"/> creates the source when a sync starts.
/// </summary>
public interface ISourcePlugin
{
    /// <summary>The <c>type</c> value in YAML that selects this plugin.</summary>
    string Type { get; }

    /// <summary>
    /// Reads the section (its <c>type</c> key is already checked), reports every problem through
    /// <see cref="ConfigSection.Report"/> (and <see cref="ConfigSection.RejectUnknownKeys"/>), and returns
    /// the bound source, or null when the section has problems.
    /// </summary>
    BoundSource? Bind(ConfigSection section);
}

/// <summary>Creates a source bound to validated options, for one pipeline.</summary>
public delegate IOrderSource SourceFactory(SourceContext context);

/// <summary>What a plugin bound from a YAML section: how to create the source, and what kind of source it is.</summary>
/// <param name="Create">Creates the source for one pipeline run.</param>
/// <param name="IsContinuous">
/// True for a source that never ends on its own (a streaming consumer): the worker keeps it running
/// instead of scheduling it, and triggers its reports on <c>report_schedule</c> or <c>reports_after</c>.
/// Known without creating the source.
/// </param>
public sealed record BoundSource(SourceFactory Create, bool IsContinuous = false)
{
    /// <summary>Re-reads the source's dead letters (<c>dead-letters replay</c>); null when the source cannot.</summary>
    public RecordReplayerFactory? Replayer { get; init; }

    /// <summary>The dead letters the source delivers outside the store (a Kafka dead-letter topic); null when none.</summary>
    public DeadLetterQueueFactory? DeadLetterQueue { get; init; }
}
