namespace Affinsy.Benchmarks;

/// <summary>One load harness, selected by its first command-line word.</summary>
internal interface IBenchmarkCommand
{
    string Name { get; }

    string Description { get; }

    /// <summary>Runs with the remaining arguments; prints one JSON line on stdout; returns the exit code.</summary>
    Task<int> RunAsync(string[] args);
}
