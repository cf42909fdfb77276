namespace Affinsy.Core.Configuration;

/// <summary>One thing wrong in a configuration file, pinned to where it is.</summary>
/// <param name="File">The file name as given (for example <c>connectors.yaml</c>).</param>
/// <param name="Line">1-based line, 0 when the problem is about the file as a whole.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
/// <param name="Path">The YAML path (<c>pipelines[1].source.path</c>), empty for the root.</param>
/// <param name="Message">What is wrong and what to do; never contains a secret value.</param>
public sealed record ConfigProblem(string File, int Line, int Column, string Path, string Message)
{
    /// <summary>Formats as <c>connectors.yaml:12 pipelines[1].source.path: file not found: samples/x.csv</c>.</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}" : File;
        return Path.Length > 0 ? $"{where} {Path}: {Message}" : $"{where}: {Message}";
    }
}
