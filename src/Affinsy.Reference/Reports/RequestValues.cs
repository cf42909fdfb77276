using System.Globalization;
using System.Text.Json;

namespace Affinsy.Reference.Reports;

/// <summary>
/// Reads typed values out of request JSON, adding one <see cref="ErrorDetail"/> per problem
/// so that a request's every mistake is reported together.
/// </summary>
internal static class RequestValues
{
    private const int MaxEchoedLength = 64;

    /// <summary>JSON null counts as absent for every optional field.</summary>
    internal static bool IsAbsent(JsonElement value) =>
        value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    internal static string? String(JsonElement value, string path, List<ErrorDetail> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add(new ErrorDetail(path, $"must be a string, not {KindName(value.ValueKind)}"));
        return null;
    }

    internal static bool Object(JsonElement value, string path, List<ErrorDetail> errors)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add(new ErrorDetail(path, $"must be an object, not {KindName(value.ValueKind)}"));
        return false;
    }

    /// <summary>
    /// A number read exactly as decimal (0.07 stays 0.07), trailing zeros dropped so the echo is canonical;
    /// <paramref name="rangeMessage"/> also covers numbers too large for decimal.
    /// </summary>
    internal static decimal? Decimal(JsonElement value, string path, string rangeMessage, List<ErrorDetail> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new ErrorDetail(path, $"must be a number, not {KindName(value.ValueKind)}"));
            return null;
        }

        if (!value.TryGetDecimal(out var number))
        {
            errors.Add(new ErrorDetail(path, rangeMessage));
            return null;
        }

        // Dividing by 1 with the largest scale strips trailing zeros: 0.010 -> 0.01.
        return number / 1.0000000000000000000000000000m;
    }

    /// <summary>A whole number in [min, max]; 4.0 counts as 4.</summary>
    internal static int? WholeNumber(JsonElement value, string path, int min, int max, List<ErrorDetail> errors)
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {min} to {max}");
        var number = Decimal(value, path, message, errors);
        if (number is not { } n)
        {
            return null;
        }

        if (n != decimal.Truncate(n) || n < min || n > max)
        {
            errors.Add(new ErrorDetail(path, message));
            return null;
        }

        return (int)n;
    }

    /// <summary>One of <paramref name="allowed"/>, matched exactly (case-sensitive, as the contract spells them).</summary>
    internal static T? OneOf<T>(
        JsonElement value, string path, IEnumerable<(string Name, T Value)> allowed, List<ErrorDetail> errors)
        where T : struct
    {
        var text = String(value, path, errors);
        if (text is null)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var (name, candidate) in allowed)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                return candidate;
            }

            names.Add(name);
        }

        errors.Add(new ErrorDetail(path, $"{Echo(text)} is not allowed; expected one of {string.Join(", ", names)}"));
        return null;
    }

    /// <summary>A caller's text quoted for a message, cut short so a huge value cannot flood the response.</summary>
    internal static string Echo(string text) =>
        text.Length <= MaxEchoedLength ? $"'{text}'" : $"'{text[..MaxEchoedLength]}...'";

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
