using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Affinsy.Core.Configuration;

/// <summary>
/// Checks a configuration text's size, nesting and alias expansion on the parser's event stream before any
/// tree is built. The tree builder and our walks over it recurse once per level (20,000 nested brackets
/// overflow the stack and kill the process), and an alias repeats its whole anchored subtree on every walk,
/// so a few hundred bytes of nested aliases ("billion laughs") cost minutes. A deployment file needs none of that.
/// </summary>
internal static class YamlShapeLimits
{
    /// <summary>Largest file accepted, in characters: a deployment file with hundreds of pipelines is far smaller.</summary>
    public const int MaxChars = 1024 * 1024;

    /// <summary>Deepest nesting of mappings and sequences accepted; connectors.yaml needs about 6.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most nodes the document may hold with every alias expanded to its anchored subtree.</summary>
    public const long MaxExpandedNodes = 100_000;

    /// <summary>Adds a problem and returns false when the text is beyond a limit; true when it may be loaded.</summary>
    public static bool Check(string yaml, ConfigProblems problems)
    {
        if (yaml.Length > MaxChars)
        {
            problems.Add(0, 0, string.Empty, string.Create(CultureInfo.InvariantCulture,
                $"the file is {yaml.Length:N0} characters long (max {MaxChars:N0}); a deployment file is a few kilobytes: check that --config names connectors.yaml, not a data file"));
            return false;
        }

        try
        {
            return Scan(yaml, problems);
        }
        catch (YamlException)
        {
            // Syntax errors are reported by the loader with its own position and message.
            return true;
        }
    }

    private static bool Scan(string yaml, ConfigProblems problems)
    {
        using var reader = new StringReader(yaml);
        var parser = new Parser(reader);
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Nodes)>();
        long total = 0;
        while (parser.MoveNext())
        {
            long completed;
            string? anchor;
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    var start = (NodeEvent)parser.Current;
                    if (open.Count >= MaxDepth)
                    {
                        problems.Add((int)start.Start.Line, (int)start.Start.Column, string.Empty, string.Create(CultureInfo.InvariantCulture,
                            $"nested more than {MaxDepth} levels deep (lists or mappings inside each other); connectors.yaml needs about 6: check for unbalanced brackets"));
                        return false;
                    }

                    open.Push((AnchorOf(start), 1));
                    continue;
                case MappingEnd or SequenceEnd:
                    (anchor, completed) = open.Pop();
                    break;
                case Scalar scalar:
                    (anchor, completed) = (AnchorOf(scalar), 1);
                    break;
                case AnchorAlias alias:
                    anchor = null;
                    completed = anchors.GetValueOrDefault(alias.Value.Value, 1);
                    break;
                default:
                    continue;
            }

            if (anchor is not null)
            {
                anchors[anchor] = completed;
            }

            total = open.Count == 0 ? total + completed : total;
            if (open.Count > 0)
            {
                var (parentAnchor, nodes) = open.Pop();
                open.Push((parentAnchor, Math.Min(nodes + completed, MaxExpandedNodes + 1)));
            }

            if (total > MaxExpandedNodes || (open.Count > 0 && open.Peek().Nodes > MaxExpandedNodes))
            {
                problems.Add((int)parser.Current!.Start.Line, (int)parser.Current.Start.Column, string.Empty, string.Create(CultureInfo.InvariantCulture,
                    $"expands to more than {MaxExpandedNodes:N0} values once its aliases (*name) are replaced by what they refer to; write the values out or use fewer nested aliases"));
                return false;
            }
        }

        return true;
    }

    private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;
}
