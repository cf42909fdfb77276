namespace Affinsy.Core.Configuration;

/// <summary>Collects problems while a file is read, so validation can report all of them at once.</summary>
public sealed class ConfigProblems
{
    private readonly List<ConfigProblem> _problems = [];
    private readonly List<ConfigProblem> _warnings = [];

    /// <summary>Creates a collector for one file.</summary>
    public ConfigProblems(string file) => File = file;

    /// <summary>The file name used in every problem.</summary>
    public string File { get; }

    /// <summary>Problems so far.</summary>
    public IReadOnlyList<ConfigProblem> All => _problems;

    /// <summary>Things that work today but need attention (a Shopify API version about to retire); they never fail a load.</summary>
    public IReadOnlyList<ConfigProblem> Warnings => _warnings;

    /// <summary>True when nothing is wrong so far.</summary>
    public bool IsEmpty => _problems.Count == 0;

    /// <summary>Adds a problem at a position.</summary>
    public void Add(int line, int column, string path, string message) =>
        _problems.Add(new ConfigProblem(File, line, column, path, message));

    /// <summary>Adds a warning at a position (it does not make the file invalid).</summary>
    public void Warn(int line, int column, string path, string message) =>
        _warnings.Add(new ConfigProblem(File, line, column, path, message));

    /// <summary>Throws <see cref="ConfigurationException"/> when any problem was found.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw new ConfigurationException(_problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList());
        }
    }
}
