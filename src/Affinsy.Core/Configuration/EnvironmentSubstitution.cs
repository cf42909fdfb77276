using System.Text;

namespace Affinsy.Core.Configuration;

/// <summary>
/// <c>${VAR}</c> and <c>${VAR:-default}</c> in scalar values (never in keys); <c>$$</c> is a literal
/// dollar. As in a shell, the default applies when the variable is unset or empty. Substitution
/// happens after YAML parsing, so a variable's value is always a plain string and cannot change the
/// document's structure.
/// </summary>
internal static class EnvironmentSubstitution
{
    /// <summary>Result of substituting one scalar.</summary>
    /// <param name="Value">The substituted text.</param>
    /// <param name="FromEnvironment">True when any part came from an environment variable (treated as secret).</param>
    /// <param name="MissingVariables">Variables referenced without default and not set.</param>
    /// <param name="Variables">Every variable referenced, set or not (so an empty value can name what to set).</param>
    public readonly record struct Result(string Value, bool FromEnvironment, IReadOnlyList<string> MissingVariables, IReadOnlyList<string> Variables);

    public static Result Apply(string text, Func<string, string?> environment)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new Result(text, false, [], []);
        }

        var output = new Output(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                output.Text.Append(c);
                i++;
                continue;
            }

            if (text[i + 1] == '$')
            {
                output.Text.Append('$');
                i += 2;
                continue;
            }

            var close = text[i + 1] == '{' ? text.IndexOf('}', i + 2) : -1;
            if (close < 0)
            {
                output.Text.Append(c);
                i++;
                continue;
            }

            output.AppendVariable(text.AsSpan(i + 2, close - i - 2), environment);
            i = close + 1;
        }

        return output.ToResult();
    }

    /// <summary>The substituted text so far and what its variables were.</summary>
    private sealed class Output(int capacity)
    {
        private bool fromEnvironment;
        private List<string>? missing;
        private List<string>? variables;

        public StringBuilder Text { get; } = new(capacity);

        /// <summary>Appends what <c>${body}</c> stands for: <c>NAME</c> or <c>NAME:-default</c>.</summary>
        public void AppendVariable(ReadOnlySpan<char> body, Func<string, string?> environment)
        {
            var split = body.IndexOf(":-", StringComparison.Ordinal);
            var name = (split < 0 ? body : body[..split]).ToString();
            var value = environment(name);
            (variables ??= []).Add(name);
            if (split >= 0 && string.IsNullOrEmpty(value))
            {
                Text.Append(body[(split + 2)..]);
            }
            else if (value is null)
            {
                (missing ??= []).Add(name);
            }
            else
            {
                Text.Append(value);
                fromEnvironment = true;
            }
        }

        public Result ToResult() =>
            new(Text.ToString(), fromEnvironment, (IReadOnlyList<string>?)missing ?? [], (IReadOnlyList<string>?)variables ?? []);
    }
}
