using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Affinsy.Core.Sources;

/// <summary>
/// Orders skipped by design, counted per <see cref="SkipReason"/> (in orders, never rows). A source fills one per
/// batch (<see cref="OrderBatch.Skipped"/>); the pipeline adds them up per pass. Not thread-safe: whoever shares one
/// locks. As JSON (the run history, <c>--json</c>) it is an object of the non-zero counts by reason name:
/// <c>{"cancelled":276,"return":40}</c>.
/// </summary>
[JsonConverter(typeof(SkipCountsJsonConverter))]
public sealed class SkipCounts : IEquatable<SkipCounts>
{
    private readonly long[] _counts = new long[SkipReasons.All.Count];

    /// <summary>Orders skipped for <paramref name="reason"/>.</summary>
    public long this[SkipReason reason] => _counts[(int)reason];

    /// <summary>Orders skipped for any reason.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (var count in _counts)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>True when nothing was skipped.</summary>
    public bool IsEmpty => Total == 0;

    /// <summary>The non-zero counts, in <see cref="SkipReasons.All"/> order.</summary>
    public IEnumerable<(SkipReason Reason, long Count)> Entries
    {
        get
        {
            foreach (var reason in SkipReasons.All)
            {
                if (_counts[(int)reason] != 0)
                {
                    yield return (reason, _counts[(int)reason]);
                }
            }
        }
    }

    /// <summary>Counts <paramref name="orders"/> more orders skipped for <paramref name="reason"/>.</summary>
    public void Add(SkipReason reason, long orders = 1) => _counts[(int)reason] += orders;

    /// <summary>Adds every count of <paramref name="other"/> (null adds nothing).</summary>
    public void Add(SkipCounts? other)
    {
        if (other is null)
        {
            return;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>A copy that later changes to this one do not touch.</summary>
    public SkipCounts Copy()
    {
        var copy = new SkipCounts();
        copy.Add(this);
        return copy;
    }

    /// <summary>
    /// The reasons in words, the same on the progress line, the summary and <c>status</c>: <c>276 cancelled, 40 return</c>;
    /// empty when nothing was skipped.
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var (reason, count) in Entries)
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(count.ToString("N0", CultureInfo.InvariantCulture)).Append(' ').Append(SkipReasons.Name(reason));
        }

        return text.ToString();
    }

    /// <summary>The JSON object of the non-zero counts (<c>{}</c> when empty), as stored in the run history.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SkipCountsJsonContext.Default.SkipCounts);

    /// <summary>Reads <see cref="ToJson"/>'s text; null or blank is empty, and reasons this version does not know are ignored.</summary>
    public static SkipCounts Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new SkipCounts() : JsonSerializer.Deserialize(json, SkipCountsJsonContext.Default.SkipCounts) ?? new SkipCounts();

    /// <inheritdoc/>
    public override string ToString() => IsEmpty ? "none" : Describe();

    /// <summary>Equal when every reason has the same count (so records holding counts compare by value).</summary>
    public bool Equals(SkipCounts? other) => other is not null && _counts.AsSpan().SequenceEqual(other._counts);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SkipCounts);

    /// <inheritdoc/>
    public override int GetHashCode() => Total.GetHashCode();
}

/// <summary>Writes and reads <see cref="SkipCounts"/> as <c>{"reason": orders}</c>.</summary>
public sealed class SkipCountsJsonConverter : JsonConverter<SkipCounts>
{
    /// <inheritdoc/>
    public override SkipCounts Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"skipped counts: expected an object of reason: orders, found {reader.TokenType}");
        }

        var counts = new SkipCounts();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            var orders = reader.GetInt64();
            if (SkipReasons.TryParse(name, out var reason))
            {
                counts.Add(reason, orders);
            }
        }

        return counts;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, SkipCounts value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (reason, count) in value.Entries)
        {
            writer.WriteNumber(SkipReasons.Name(reason), count);
        }

        writer.WriteEndObject();
    }
}

[JsonSerializable(typeof(SkipCounts))]
internal sealed partial class SkipCountsJsonContext : JsonSerializerContext;
