using System.Globalization;

namespace Affinsy.Core.Configuration;

/// <summary>Turns a path written in the configuration into a full path, or a problem when it cannot be one.</summary>
internal static class ConfigPaths
{
    /// <summary>The full path of <paramref name="key"/>'s value, or of <paramref name="defaultPath"/> when absent; null with a problem.</summary>
    public static string? Get(ConfigSection section, string key, string defaultPath) =>
        Resolve(section, key, section.GetString(key) ?? defaultPath);

    /// <summary>The full path of <paramref name="text"/> (the value of <paramref name="key"/>), or null with a problem.</summary>
    public static string? Resolve(ConfigSection section, string key, string text)
    {
        // A NUL or another control character is never part of a real file name: it comes from a bad
        // escape ("\0") or a pasted value, and the file system API would throw on it.
        var bad = text.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (bad >= 0)
        {
            var what = text[bad] == '\0' ? "a NUL character (\\0)" : string.Create(CultureInfo.InvariantCulture, $"a control character (U+{(int)text[bad]:X4})");
            section.Report(key, string.Create(CultureInfo.InvariantCulture, $"the path contains {what} at position {bad + 1}; a file name cannot hold one: remove it (look for an escape such as \"\\0\" in a double-quoted value)"));
            return null;
        }

        try
        {
            return Path.GetFullPath(text, section.BaseDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            section.Report(key, $"{(section.IsSecret(key) ? section.Describe(key) : $"'{text}'")} is not a usable path ({e.Message}); fix the value");
            return null;
        }
    }
}
