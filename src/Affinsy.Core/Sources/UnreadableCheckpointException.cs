namespace Affinsy.Core.Sources;

/// <summary>
/// A pipeline's stored checkpoint cannot be read by its source (written by another source type, hand-edited,
/// or from an older format). Every source fails this one way, and the message names the fix.
/// </summary>
public sealed class UnreadableCheckpointException : Exception
{
    /// <summary>Creates the exception for a checkpoint whose pipeline is not known yet (the pipeline adds it).</summary>
    public UnreadableCheckpointException(string problem, Exception? innerException)
        : base(Format(null, problem), innerException) => Problem = problem;

    private UnreadableCheckpointException(string pipeline, string problem, Exception? innerException)
        : base(Format(pipeline, problem), innerException)
    {
        Pipeline = pipeline;
        Problem = problem;
    }

    /// <summary>Creates the exception with a generic problem.</summary>
    public UnreadableCheckpointException()
        : this("the stored checkpoint cannot be read")
    {
    }

    /// <summary>Creates the exception for a checkpoint whose pipeline is not known yet (the pipeline adds it).</summary>
    public UnreadableCheckpointException(string problem)
        : this(problem, null)
    {
    }

    /// <summary>The pipeline whose checkpoint it is, once known.</summary>
    public string? Pipeline { get; }

    /// <summary>What is wrong with the stored value.</summary>
    public string Problem { get; }

    /// <summary>The same problem, named for <paramref name="pipeline"/> (the pipeline run calls this).</summary>
    public UnreadableCheckpointException For(string pipeline) =>
        Pipeline is not null ? this : new UnreadableCheckpointException(pipeline, Problem, InnerException);

    private static string Format(string? pipeline, string problem) => pipeline is null
        ? $"The checkpoint cannot be read: {problem}. Reset the pipeline's state with 'affinsy-connect state reset <pipeline>' to read the source from the beginning."
        : $"The checkpoint of pipeline '{pipeline}' cannot be read: {problem}. Run 'affinsy-connect state reset {pipeline}' to read the source from the beginning.";
}
