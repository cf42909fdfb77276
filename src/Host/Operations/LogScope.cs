using System.Collections;
using System.Globalization;
using System.Text;

namespace Affinsy.Host.Operations;

/// <summary>
/// A log scope of named values. Structured loggers (the JSON console) write each value as a property; the text
/// console writes the scope's <see cref="ToString"/>, so it must read <c>pipeline=x run_id=y</c> rather than the
/// type name a dictionary prints.
/// </summary>
internal sealed class LogScope(params KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => values.Length;

    public KeyValuePair<string, object?> this[int index] => values[index];

    /// <summary>A scope naming a pipeline run.</summary>
    public static LogScope OfRun(string pipeline, string? runId) => new(new("pipeline", pipeline), new("run_id", runId ?? ""));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in values)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
