using System.CommandLine;

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
}
