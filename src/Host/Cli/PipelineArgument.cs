using System.CommandLine;
using Affinsy.Core.Configuration;

namespace Affinsy.Host.Cli;

/// <summary>
/// The <c>PIPELINE...</c> argument. A token starting with '-' that no option claimed lands here otherwise, and
/// <c>sync --bogus</c> would look for a pipeline named "--bogus"; it is a usage error instead (exit 2).
/// </summary>
internal static class PipelineArgument
{
    public static Argument<string[]> Create(string description, ArgumentArity arity)
    {
        var argument = new Argument<string[]>("pipeline") { Description = description, Arity = arity };
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith('-'))
                {
                    result.AddError($"Unknown option '{token.Value}'.");
                }
            }
        });
        return argument;
    }

    /// <summary>
    /// The pipelines <paramref name="names"/> selects (the enabled ones when none is named, after saying which were left
    /// out); null, after saying which names are unknown and which exist, when one names no pipeline of the file.
    /// </summary>
    public static IReadOnlyList<PipelineConfig>? Select(ConnectorsConfig loaded, string[]? names, TextWriter errors, string verb)
    {
        names ??= [];
        var unknown = names.Where(n => loaded.Pipelines.All(p => p.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            errors.WriteLine($"No such pipeline: {string.Join(", ", unknown)}. Pipelines in {loaded.FileName}: {string.Join(", ", loaded.Pipelines.Select(p => p.Name))}.");
            return null;
        }

        if (names.Length > 0)
        {
            return [.. loaded.Pipelines.Where(p => names.Contains(p.Name))];
        }

        if (loaded.Pipelines.Where(p => !p.Enabled).Select(p => p.Name).ToList() is { Count: > 0 } disabled)
        {
            errors.WriteLine($"Left out (enabled: false in {loaded.FileName}): {string.Join(", ", disabled)}. Name one to run it, e.g. `{verb} {disabled[0]}`.");
        }

        return loaded.EnabledPipelines;
    }
}
