using System.Globalization;

namespace Affinsy.Benchmarks;

/// <summary>Minimal "--name value" parsing for harness options; unknown or malformed options are errors.</summary>
internal sealed class BenchmarkArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchmarkArgs(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--option value' at '{args[i]}'");
            }

            _values[args[i][2..]] = args[++i];
        }
    }

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public long Long(string name, long fallback) =>
        _values.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public decimal Decimal(string name, decimal fallback) =>
        _values.TryGetValue(name, out var v) ? decimal.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
