using Affinsy.Core.Sources.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Core.Sources;

/// <summary>What a source may use besides its options.</summary>
/// <param name="Pipeline">The pipeline name (for logs and positions).</param>
/// <param name="DatasetId">The Affinsy dataset the pipeline feeds.</param>
/// <param name="BaseDirectory">Where relative paths are resolved (the configuration file's directory).</param>
/// <param name="TimeProvider">The clock; never read <c>DateTime.UtcNow</c> directly.</param>
/// <param name="LoggerFactory">For structured logs.</param>
public sealed record SourceContext(
    string Pipeline,
    string DatasetId,
    string BaseDirectory,
    TimeProvider TimeProvider,
    ILoggerFactory LoggerFactory)
{
    /// <summary>
    /// Where the source gets its HTTP clients: the Host's <c>IHttpClientFactory</c>; by default
    /// <see cref="PooledSourceHttpClients.Shared"/>, one pool per client name for the process.
    /// </summary>
    public ISourceHttpClients HttpClients { get; init; } = PooledSourceHttpClients.Shared;

    /// <summary>A context for tests and tools: system clock, no logging.</summary>
    public static SourceContext ForTesting(string pipeline = "test", string? baseDirectory = null) =>
        new(pipeline, pipeline, baseDirectory ?? Directory.GetCurrentDirectory(), TimeProvider.System, NullLoggerFactory.Instance);
}
