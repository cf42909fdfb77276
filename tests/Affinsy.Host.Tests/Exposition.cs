using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Affinsy.Host.Tests;

/// <summary>One sample line of a Prometheus text exposition.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? this[string label] => Labels.TryGetValue(label, out var v) ? v : null;
}

/// <summary>
/// A strict reader of the text exposition format 0.0.4, written from the format's rules: it throws on any
/// line a Prometheus server would refuse, and checks the structure (a TYPE before the samples of its
/// family, each family once and contiguous, sample names that belong to the declared type).
/// </summary>
internal sealed partial class Exposition
{
    private Exposition(Dictionary<string, string> types, Dictionary<string, string> help, List<Sample> samples)
    {
        Types = types;
        Help = help;
        Samples = samples;
    }

    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyDictionary<string, string> Help { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public IEnumerable<Sample> Named(string name, string pipeline) =>
        Samples.Where(s => s.Name == name && s["pipeline"] == pipeline);

    public static Exposition Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a line feed.");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var number = 0;
        foreach (var line in text.Split('\n')[..^1])
        {
            number++;
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                current = Comment(line, number, current, finished, types, help);
                continue;
            }

            var sample = SampleLine().Match(line);
            if (!sample.Success)
            {
                throw Fail(number, line, "a sample: name{labels} value");
            }

            var name = sample.Groups["name"].Value;
            if (current is null || !types.TryGetValue(current, out var type) || !BelongsTo(name, current, type))
            {
                throw Fail(number, line, $"a sample of the family declared just before it ({current ?? "none"})");
            }

            samples.Add(new Sample(name, Labels(sample.Groups["labels"].Value, number, line), Value(sample.Groups["value"].Value, number, line)));
        }

        return new Exposition(types, help, samples);
    }

    /// <summary>A HELP or TYPE line: its family starts (or goes on) here; returns the family now current.</summary>
    private static string Comment(string line, int number, string? current, HashSet<string> finished, Dictionary<string, string> types, Dictionary<string, string> help)
    {
        var comment = CommentLine().Match(line);
        if (!comment.Success)
        {
            throw Fail(number, line, "a HELP or TYPE line");
        }

        var family = comment.Groups["name"].Value;
        if (family != current)
        {
            if (current is not null)
            {
                finished.Add(current);
            }

            if (finished.Contains(family))
            {
                throw Fail(number, line, $"family {family} to appear once, contiguously");
            }
        }

        var target = comment.Groups["kind"].Value == "TYPE" ? types : help;
        if (!target.TryAdd(family, comment.Groups["text"].Value))
        {
            throw Fail(number, line, $"one {comment.Groups["kind"].Value} line for {family}");
        }

        if (target == types && comment.Groups["text"].Value is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
        {
            throw Fail(number, line, "a known metric type");
        }

        return family;
    }

    private static bool BelongsTo(string sample, string family, string type) => type switch
    {
        "histogram" => sample == family + "_bucket" || sample == family + "_sum" || sample == family + "_count",
        "counter" => sample == family && family.EndsWith("_total", StringComparison.Ordinal),
        _ => sample == family,
    };

    private static Dictionary<string, string> Labels(string text, int number, string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var name = LabelNameAt().Match(text, i);
            if (!name.Success || name.Index != i)
            {
                throw Fail(number, line, "a label name");
            }

            i += name.Length;
            if (i + 1 >= text.Length || text[i] != '=' || text[i + 1] != '"')
            {
                throw Fail(number, line, "=\" after a label name");
            }

            i += 2;
            var value = QuotedValue(text, ref i, number, line);
            if (!labels.TryAdd(name.Value, value))
            {
                throw Fail(number, line, $"label {name.Value} once");
            }

            if (i < text.Length)
            {
                if (text[i] != ',')
                {
                    throw Fail(number, line, "a comma between labels");
                }

                i++;
            }
        }

        return labels;
    }

    /// <summary>A label value after its opening quote, escapes read; <paramref name="i"/> ends past the closing quote.</summary>
    private static string QuotedValue(string text, ref int i, int number, string line)
    {
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length || text[i] == '\n')
            {
                throw Fail(number, line, "a closed label value");
            }

            var c = text[i++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                var escaped = i < text.Length ? text[i++] : '\0';
                value.Append(escaped switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    _ => throw Fail(number, line, "only \\\\, \\\" and \\n escapes in label values"),
                });
                continue;
            }

            value.Append(c);
        }
    }

    private static double Value(string text, int number, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw Fail(number, line, "a number"),
    };

    private static FormatException Fail(int number, string line, string expected) =>
        new($"Line {number} \"{line}\": expected {expected}.");

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<text>.*)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^\n]*)\})? (?<value>\S+)( -?[0-9]+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelNameAt();
}
