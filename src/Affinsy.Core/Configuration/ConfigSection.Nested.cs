using YamlDotNet.RepresentationModel;

namespace Affinsy.Core.Configuration;

/// <summary>
/// The getters for nested values (lists, maps, sub-sections) and for file paths, which resolve against the
/// configuration file. Like the scalar getters they report a problem with the YAML path and line and return a usable
/// fallback, so one pass checks a whole file.
/// </summary>
public sealed partial class ConfigSection
{
    /// <summary>A list of texts; a single value counts as a list of one.</summary>
    public IReadOnlyList<string> GetStringList(string key)
    {
        switch (Find(key))
        {
            case null:
                return [];
            case YamlScalarNode scalar:
                return string.IsNullOrEmpty(scalar.Value) ? [] : [scalar.Value];
            case YamlSequenceNode sequence:
                var list = new List<string>(sequence.Children.Count);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (sequence.Children[i] is YamlScalarNode { Value: { Length: > 0 } item })
                    {
                        list.Add(item);
                    }
                    else
                    {
                        var child = sequence.Children[i];
                        Problems.Add((int)child.Start.Line, (int)child.Start.Column, $"{PathOf(key)}[{i}]", "expected a non-empty single value");
                    }
                }

                return list;
            default:
                Report(key, "expected a list of values, not a mapping");
                return [];
        }
    }

    /// <summary>A key/value mapping of plain values (column maps, report params).</summary>
    public IReadOnlyDictionary<string, string> GetStringMap(string key)
    {
        var section = GetSection(key);
        if (section is null)
        {
            return new Dictionary<string, string>();
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in section.Keys)
        {
            if (section.GetString(name) is { } value)
            {
                map[name] = value;
            }
        }

        return map;
    }

    /// <summary>A nested mapping; null (and a problem when required, or when it is not a mapping).</summary>
    public ConfigSection? GetSection(string key, bool required = false)
    {
        switch (Find(key))
        {
            case null:
                if (required)
                {
                    Report(key, "is required");
                }

                return null;
            case YamlMappingNode mapping:
                return new ConfigSection(_document, mapping, PathOf(key));
            case YamlScalarNode { Value: null or "" }:
                if (required)
                {
                    Report(key, "is required but empty");
                }

                return null;
            default:
                Report(key, "expected a mapping (key: value pairs)");
                return null;
        }
    }

    /// <summary>A list of mappings (pipelines, reports); items that are not mappings are problems.</summary>
    public IReadOnlyList<ConfigSection> GetSectionList(string key)
    {
        switch (Find(key))
        {
            case null:
            case YamlScalarNode { Value: null or "" }:
                return [];
            case YamlSequenceNode sequence:
                var list = new List<ConfigSection>(sequence.Children.Count);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var path = $"{PathOf(key)}[{i}]";
                    if (sequence.Children[i] is YamlMappingNode mapping)
                    {
                        list.Add(new ConfigSection(_document, mapping, path));
                    }
                    else
                    {
                        var child = sequence.Children[i];
                        Problems.Add((int)child.Start.Line, (int)child.Start.Column, path, "expected a mapping (key: value pairs)");
                    }
                }

                return list;
            default:
                Report(key, "expected a list");
                return [];
        }
    }

    /// <summary>
    /// A file path resolved against <see cref="BaseDirectory"/>; with <paramref name="mustExist"/> a
    /// missing file is a problem naming the path as written.
    /// </summary>
    public string? GetFilePath(string key, bool required, bool mustExist)
    {
        var text = GetString(key, required);
        var full = text is null ? null : ConfigPaths.Resolve(this, key, text);
        if (text is null || full is null)
        {
            return null;
        }

        if (mustExist && !File.Exists(full))
        {
            // A relative path is read against the configuration file's directory, not the working directory: say which.
            var against = System.IO.Path.IsPathRooted(text) ? string.Empty : $" (relative paths resolve against the configuration file's directory, {BaseDirectory})";
            Report(key, $"file not found: {(IsSecret(key) ? Describe(key) : text)}{against}");
        }

        return full;
    }
}
