using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Affinsy.Core.Configuration;

/// <summary>
/// A parsed configuration file: the YAML tree with environment variables substituted in place (so
/// every node keeps its line), the problems found so far, and which values came from the environment.
/// </summary>
internal sealed class ConfigDocument
{
    private readonly HashSet<YamlNode> _fromEnvironment = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<YamlNode, IReadOnlyList<string>> _variables = new(ReferenceEqualityComparer.Instance);

    // An alias is the same node object as its anchor: substituting it twice would turn "$${X}" into X's value.
    private readonly HashSet<YamlNode> _substituted = new(ReferenceEqualityComparer.Instance);

    private ConfigDocument(string baseDirectory, ConfigProblems problems)
    {
        BaseDirectory = baseDirectory;
        Problems = problems;
    }

    public string BaseDirectory { get; }

    public ConfigProblems Problems { get; }

    /// <summary>The root mapping, or null when the text is not a YAML mapping (a problem says why).</summary>
    public ConfigSection? Root { get; private set; }

    public bool IsFromEnvironment(YamlNode node) => _fromEnvironment.Contains(node);

    /// <summary>The variables a value was written with (<c>${AFFINSY_API_KEY:-}</c>), set or not; empty for a literal.</summary>
    public IReadOnlyList<string> VariablesOf(YamlNode node) => _variables.GetValueOrDefault(node) ?? [];

    /// <summary>
    /// Every value written under a key that names a secret (key, secret, token, password) anywhere in the file,
    /// for log redaction. Values shorter than 4 characters are left out: masking them would garble logs.
    /// </summary>
    public IReadOnlyCollection<string> SecretValues()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        void Walk(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    foreach (var (key, value) in mapping.Children)
                    {
                        if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { Length: >= 4 } text } && ConfigSection.NamesASecret(name))
                        {
                            found.Add(text);
                        }

                        Walk(value);
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var child in sequence.Children)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        if (Root is not null)
        {
            Walk(Root.Node);
        }

        return found;
    }

    /// <param name="yaml">The text.</param>
    /// <param name="fileName">The file name used in messages.</param>
    /// <param name="baseDirectory">What relative paths resolve against.</param>
    /// <param name="environment">Variable lookup.</param>
    /// <param name="missingAllowedAt">YAML paths where an unset variable is no problem (it reads as empty); null: nowhere.</param>
    public static ConfigDocument Parse(string yaml, string fileName, string baseDirectory, Func<string, string?> environment, Func<string, bool>? missingAllowedAt = null)
    {
        var document = new ConfigDocument(baseDirectory, new ConfigProblems(fileName));
        if (!YamlShapeLimits.Check(yaml, document.Problems))
        {
            return document;
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            // The parser's message names the construct, never the value, so it is safe to show.
            var message = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            document.Problems.Add((int)e.Start.Line, (int)e.Start.Column, string.Empty, "not valid YAML: " + message);
            return document;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            document.Problems.Add(0, 0, string.Empty, "the file is empty; see connectors.yaml in the repository for an example");
            return document;
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            document.Problems.Add((int)root.Start.Line, (int)root.Start.Column, string.Empty, "expected a mapping at the top (affinsy:, state:, pipelines: ...)");
            return document;
        }

        document.Substitute(mapping, string.Empty, environment, missingAllowedAt ?? (_ => false));
        document.Root = new ConfigSection(document, mapping, string.Empty);
        return document;
    }

    private void Substitute(YamlNode node, string path, Func<string, string?> environment, Func<string, bool> missingAllowedAt)
    {
        if (!_substituted.Add(node))
        {
            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar when scalar.Value is { } text:
                var result = EnvironmentSubstitution.Apply(text, environment);
                foreach (var name in missingAllowedAt(path) ? [] : result.MissingVariables)
                {
                    Problems.Add((int)scalar.Start.Line, (int)scalar.Start.Column, path, $"environment variable {name} is not set; set it or write ${{{name}:-default}}");
                }

                scalar.Value = result.Value;
                if (result.Variables.Count > 0)
                {
                    _variables[scalar] = result.Variables;
                }

                if (result.FromEnvironment)
                {
                    _fromEnvironment.Add(scalar);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Substitute(sequence.Children[i], $"{path}[{i}]", environment, missingAllowedAt);
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "?";
                    Substitute(value, path.Length == 0 ? name : $"{path}.{name}", environment, missingAllowedAt);
                }

                break;
        }
    }
}
