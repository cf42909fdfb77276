using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Affinsy.Core.Configuration;

/// <summary>
/// One YAML mapping of the configuration with typed, validating getters. Every getter reports a
/// problem (with the key's YAML path and line) instead of throwing, and returns a usable fallback,
/// so a whole file is checked in one pass. Values that came from the environment, and values of keys
/// named like key/secret/token/password, are never quoted in a problem.
/// </summary>
public sealed partial class ConfigSection
{
    private static readonly string[] SecretWords = ["key", "secret", "token", "password"];
    private readonly YamlMappingNode _node;
    private readonly ConfigDocument _document;

    internal ConfigSection(ConfigDocument document, YamlMappingNode node, string path)
    {
        _document = document;
        _node = node;
        Path = path;
    }

    /// <summary>This section's YAML path (<c>pipelines[0].source</c>); empty for the root.</summary>
    public string Path { get; }

    /// <summary>1-based line where the section starts.</summary>
    public int Line => (int)_node.Start.Line;

    /// <summary>The directory relative paths are resolved against (the configuration file's).</summary>
    public string BaseDirectory => _document.BaseDirectory;

    /// <summary>Where problems go; plugins may add their own through <see cref="Report"/>.</summary>
    public ConfigProblems Problems => _document.Problems;

    /// <summary>The keys present, in file order.</summary>
    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty);

    /// <summary>True when the key is present (even with an empty value).</summary>
    public bool Has(string key) => Find(key) is not null;

    /// <summary>The YAML path of a key in this section.</summary>
    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The 1-based line of a key (the section's line when the key is absent).</summary>
    public int LineOf(string key) => (int)(((YamlNode?)FindKey(key) ?? _node).Start.Line);

    /// <summary>Reports a problem about a key (at the key's line, or the section's when absent).</summary>
    public void Report(string key, string message)
    {
        var node = (YamlNode?)FindKey(key) ?? _node;
        Problems.Add((int)node.Start.Line, (int)node.Start.Column, PathOf(key), message);
    }

    /// <summary>Warns about a key: the value works but needs attention; validation still passes.</summary>
    public void Warn(string key, string message)
    {
        var node = (YamlNode?)FindKey(key) ?? _node;
        Problems.Warn((int)node.Start.Line, (int)node.Start.Column, PathOf(key), message);
    }

    /// <summary>Reports a problem about the section itself.</summary>
    public void ReportHere(string message) =>
        Problems.Add((int)_node.Start.Line, (int)_node.Start.Column, Path, message);

    /// <summary>Reports every key not in <paramref name="known"/>, with a suggestion when one is close.</summary>
    public void RejectUnknownKeys(IEnumerable<string> known)
    {
        var knownList = known.ToList();
        foreach (var key in _node.Children.Keys.OfType<YamlScalarNode>())
        {
            var name = key.Value ?? string.Empty;
            if (!knownList.Contains(name, StringComparer.Ordinal))
            {
                Problems.Add((int)key.Start.Line, (int)key.Start.Column, PathOf(name), "unknown key" + Suggestions.DidYouMean(name, knownList));
            }
        }
    }

    /// <summary>True when the key's name says its value is a secret (key, secret, token, password).</summary>
    internal static bool NamesASecret(string key) => SecretWords.Any(w => key.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The YAML mapping this section reads.</summary>
    internal YamlMappingNode Node => _node;

    /// <summary>True when a value of this key must never be shown.</summary>
    public bool IsSecret(string key)
    {
        if (NamesASecret(key))
        {
            return true;
        }

        return Find(key) is { } node && _document.IsFromEnvironment(node);
    }

    /// <summary>The environment variables the key's value was written with (<c>${VAR}</c>), set or not; empty when absent or literal.</summary>
    internal IReadOnlyList<string> VariablesOf(string key) => Find(key) is { } node ? _document.VariablesOf(node) : [];

    /// <summary>The value quoted for a message, or a placeholder when it may be a secret.</summary>
    public string Describe(string key) =>
        IsSecret(key) ? "(value not shown: it may be a secret)" : $"'{(Find(key) as YamlScalarNode)?.Value}'";

    /// <summary>A text value; null (and a problem when required) when absent or empty.</summary>
    public string? GetString(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null)
        {
            if (required)
            {
                Report(key, "is required");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Report(key, "expected a single value, not a list or mapping");
            return null;
        }

        if (string.IsNullOrEmpty(scalar.Value))
        {
            if (required)
            {
                Report(key, "is required but empty");
            }

            return null;
        }

        return scalar.Value;
    }

    /// <summary>A whole number in [min, max]; the default when absent.</summary>
    public int GetInt(string key, int defaultValue, int min, int max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Report(key, $"expected a whole number between {min} and {max}, got {Describe(key)}");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            Report(key, $"must be between {min} and {max}, got {(IsSecret(key) ? Describe(key) : value.ToString(CultureInfo.InvariantCulture))}");
            return defaultValue;
        }

        return value;
    }

    /// <summary>
    /// A duration written as <c>500ms</c>, <c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c> or <c>hh:mm:ss</c>, at most
    /// <paramref name="max"/>; the default when absent. A bare number is refused: its unit would be a guess.
    /// </summary>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue, TimeSpan max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (ParseDuration(text) is not { } value || value > max)
        {
            Report(key, $"expected a duration such as 500ms, 90s, 10m, 2h or 1d (at most {max}), got {Describe(key)}");
            return defaultValue;
        }

        return value;
    }

    private static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], TimeSpan.FromMilliseconds(1))
            : text.Length > 1 && char.IsLetter(text[^1]) ? (text[..^1], char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            })
            : (text, TimeSpan.Zero);
        if (unit > TimeSpan.Zero)
        {
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0 && amount * unit.TotalDays <= 3650
                ? amount * unit
                : null;
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : null;
    }

    /// <summary>true/false; the default when absent.</summary>
    public bool GetBool(string key, bool defaultValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Report(key, $"expected true or false, got {Describe(key)}");
        return defaultValue;
    }

    /// <summary>One of <paramref name="allowed"/> (exact spelling); the default when absent.</summary>
    public string GetChoice(string key, string defaultValue, params string[] allowed)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var shown = IsSecret(key) ? Describe(key) : $"'{text}'";
        Report(key, $"{shown} is not allowed" + Suggestions.DidYouMean(text, allowed));
        return defaultValue;
    }

    private YamlNode? Find(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private YamlScalarNode? FindKey(string key) =>
        _node.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key);
}
