namespace Affinsy.Core.Configuration;

/// <summary>
/// The configuration cannot be used. Carries every problem found, not just the first, so one edit
/// fixes them all; the Host reports them and exits with code 2.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public ConfigurationException(IReadOnlyList<ConfigProblem> problems)
        : base(Describe(problems)) => Problems = problems;

    /// <summary>Creates an exception for a single problem.</summary>
    public ConfigurationException(ConfigProblem problem)
        : this([problem])
    {
    }

    /// <summary>Required by analyzers; prefer the constructors that take problems.</summary>
    public ConfigurationException()
        : this(new ConfigProblem(string.Empty, 0, 0, string.Empty, "invalid configuration"))
    {
    }

    /// <summary>Required by analyzers; prefer the constructors that take problems.</summary>
    public ConfigurationException(string message)
        : this(new ConfigProblem(string.Empty, 0, 0, string.Empty, message))
    {
    }

    /// <summary>Required by analyzers; prefer the constructors that take problems.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [new ConfigProblem(string.Empty, 0, 0, string.Empty, message)];

    /// <summary>Every problem, in file order.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var header = problems.Count == 1 ? "1 configuration problem:" : $"{problems.Count} configuration problems:";
        return header + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
    }
}
