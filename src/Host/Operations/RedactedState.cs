using System.Collections;
using System.Globalization;

namespace Affinsy.Host.Operations;

/// <summary>
/// A log entry's state with secrets masked: the formatted message and every structured value (structured
/// loggers such as the JSON console write them beside the message), the template included, since a
/// secret interpolated into a template is part of it.
/// </summary>
internal sealed class RedactedState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly IReadOnlyList<KeyValuePair<string, object?>> values;

    private RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        Message = message;
        this.values = values;
    }

    public string Message { get; }

    public int Count => values.Count;

    public KeyValuePair<string, object?> this[int index] => values[index];

    /// <summary>The redacted state, or null when neither the message nor any value holds a secret.</summary>
    public static RedactedState? Of<TState>(TState state, string message, SecretSet secrets)
    {
        var safeMessage = secrets.Redact(message);
        var changed = !ReferenceEquals(safeMessage, message);
        List<KeyValuePair<string, object?>>? safeValues = null;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                var (key, value) = pairs[i];
                var safe = RedactValue(value, secrets);
                if (safeValues is null && !ReferenceEquals(safe, value))
                {
                    safeValues = new List<KeyValuePair<string, object?>>(pairs.Count);
                    for (var j = 0; j < i; j++)
                    {
                        safeValues.Add(pairs[j]);
                    }
                }

                safeValues?.Add(new KeyValuePair<string, object?>(key, safe));
            }
        }

        return changed || safeValues is not null
            ? new RedactedState(safeMessage, safeValues ?? Pairs(state))
            : null;
    }

    /// <summary>The state as it was, with its formatted message (for an entry whose exception alone needed masking).</summary>
    public static RedactedState Unchanged<TState>(TState state, string message) => new(message, Pairs(state));

    /// <summary>A scope state with secrets masked: text as text, key/value lists value by value.</summary>
    public static object OfScope<TState>(TState state, SecretSet secrets)
        where TState : notnull
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>>)
        {
            var text = state.ToString() ?? string.Empty;
            return Of(state, text, secrets) ?? (object)state;
        }

        return RedactValue(state, secrets)!;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    private static IReadOnlyList<KeyValuePair<string, object?>> Pairs<TState>(TState state) =>
        state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];

    /// <summary>The value itself when its text holds no secret (numbers, dates: never), else its masked text.</summary>
    private static object? RedactValue(object? value, SecretSet secrets)
    {
        switch (value)
        {
            case null or bool or int or long or double or decimal or DateTime or DateTimeOffset or TimeSpan or Guid:
                return value;
            case string text:
                return secrets.Redact(text);
            default:
                var rendered = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                var safe = secrets.Redact(rendered);
                return ReferenceEquals(safe, rendered) ? value : safe;
        }
    }
}
