using Affinsy.Core.Configuration;

namespace Affinsy.Core.Sources;

/// <summary>
/// A kind of source (<c>csv</c>, <c>shopify</c>...): validates its YAML section and binds it to options.
/// Binding does no I/O beyond cheap checks (a file exists), so <c>affinsy-connect validate</c> can run
/// it for every pipeline; the returned factory creates the source when a sync starts.
/// </summary>
public interface ISourcePlugin
{
    /// <summary>The <c>type</c> value in YAML that selects this plugin.</summary>
    string Type { get; }

    /// <summary>
    /// Reads the section (its <c>type</c> key is already checked), reports every problem through
    /// <see cref="ConfigSection.Report"/> (and <see cref="ConfigSection.RejectUnknownKeys"/>), and returns
    /// a factory bound to the options, or null when the section has problems.
    /// </summary>
    SourceFactory? Bind(ConfigSection section);
}

/// <summary>Creates a source bound to validated options, for one pipeline.</summary>
public delegate IOrderSource SourceFactory(SourceContext context);
