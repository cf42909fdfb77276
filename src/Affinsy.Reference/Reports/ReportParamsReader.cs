using System.Globalization;
using System.Text.Json;

namespace Affinsy.Reference.Reports;

/// <summary>
/// Applies a request's <c>params</c> object over the defaults (a template's or the contract's):
/// each given param replaces one default; every problem becomes a detail at <c>params.&lt;name&gt;</c>.
/// </summary>
internal static class ReportParamsReader
{
    private const string MbaNames =
        "min_support, min_confidence, scope, customer_scope, max_len, max_rules, min_lift, max_consequent";

    private const string RfmNames = "customer_scope, bins";

    /// <summary>The MBA params, or null when any given param is wrong (the errors say which).</summary>
    internal static MbaParams? ReadMba(JsonElement? given, MbaParams defaults, List<ErrorDetail> errors)
    {
        if (given is not { } body)
        {
            return defaults;
        }

        var before = errors.Count;
        var result = defaults;
        var maxLenValid = true;
        var maxConsequentGiven = false;
        foreach (var param in body.EnumerateObject())
        {
            var path = "params." + param.Name;
            switch (param.Name)
            {
                case "max_len":
                    var maxLen = RequestValues.WholeNumber(
                        param.Value, path, ParamLimits.MinMaxLen, ParamLimits.MaxMaxLen, errors);
                    maxLenValid = maxLen is not null;
                    result = maxLen is { } len ? result with { MaxLen = len } : result;
                    break;
                case "max_consequent":
                    // Checked against max_len below, once max_len is known whatever the key order.
                    var consequent = RequestValues.WholeNumber(param.Value, path, 1, int.MaxValue, errors);
                    maxConsequentGiven = consequent is not null;
                    result = consequent is { } most ? result with { MaxConsequent = most } : result;
                    break;
                default:
                    result = ReadMbaParam(param, path, result, errors);
                    break;
            }
        }

        if (maxLenValid && result.MaxConsequent > result.MaxLen - 1)
        {
            // Only a given max_consequent can be at fault unless max_len shrank under the default.
            var path = maxConsequentGiven ? "params.max_consequent" : "params.max_len";
            errors.Add(new ErrorDetail(path, string.Create(
                CultureInfo.InvariantCulture,
                $"max_consequent ({result.MaxConsequent}) must be from 1 to max_len - 1 ({result.MaxLen - 1})")));
        }

        return errors.Count == before ? result : null;
    }

    /// <summary>One MBA param that stands alone (max_len and max_consequent are checked together by the caller).</summary>
    private static MbaParams ReadMbaParam(JsonProperty param, string path, MbaParams result, List<ErrorDetail> errors)
    {
        var value = param.Value;
        switch (param.Name)
        {
            case "min_support":
                return DecimalIn(value, path, "must be greater than 0 and at most 1", static v => v is > 0m and <= 1m, errors) is { } support
                    ? result with { MinSupport = support }
                    : result;
            case "min_confidence":
                return DecimalIn(value, path, "must be from 0 to 1", static v => v is >= 0m and <= 1m, errors) is { } confidence
                    ? result with { MinConfidence = confidence }
                    : result;
            case "min_lift":
                return DecimalIn(value, path, "must be 0 or greater", static v => v >= 0m, errors) is { } lift
                    ? result with { MinLift = lift }
                    : result;
            case "scope":
                return RequestValues.OneOf(value, path, WireNames.BasketScopes, errors) is { } scope
                    ? result with { Scope = scope }
                    : result;
            case "customer_scope":
                var mbaScopes = WireNames.CustomerScopes.Where(s => s.Value != CustomerScope.New90d);
                return RequestValues.OneOf(value, path, mbaScopes, errors) is { } customerScope
                    ? result with { CustomerScope = customerScope }
                    : result;
            case "max_rules":
                return RequestValues.WholeNumber(value, path, ParamLimits.MinMaxRules, ParamLimits.MaxMaxRules, errors) is { } rules
                    ? result with { MaxRules = rules }
                    : result;
            default:
                errors.Add(new ErrorDetail(path, $"is not an MBA param; expected {MbaNames}"));
                return result;
        }
    }

    /// <summary>A decimal inside <paramref name="range"/>; a number outside it is one detail saying the range.</summary>
    private static decimal? DecimalIn(JsonElement value, string path, string range, Func<decimal, bool> inRange, List<ErrorDetail> errors)
    {
        if (RequestValues.Decimal(value, path, range, errors) is not { } given)
        {
            return null;
        }

        if (inRange(given))
        {
            return given;
        }

        errors.Add(new ErrorDetail(path, range));
        return null;
    }

    /// <summary>The RFM params, or null when any given param is wrong (the errors say which).</summary>
    internal static RfmParams? ReadRfm(JsonElement? given, RfmParams defaults, List<ErrorDetail> errors)
    {
        if (given is not { } body)
        {
            return defaults;
        }

        var before = errors.Count;
        var result = defaults;
        foreach (var param in body.EnumerateObject())
        {
            var path = "params." + param.Name;
            switch (param.Name)
            {
                case "customer_scope":
                    var rfmScopes = WireNames.CustomerScopes.Where(
                        s => s.Value is CustomerScope.All or CustomerScope.New90d);
                    if (RequestValues.OneOf(param.Value, path, rfmScopes, errors) is { } scope)
                    {
                        result = result with { CustomerScope = scope };
                    }

                    break;
                case "bins":
                    if (RequestValues.WholeNumber(
                            param.Value, path, ParamLimits.MinBins, ParamLimits.MaxBins, errors) is { } bins)
                    {
                        result = result with { Bins = bins };
                    }

                    break;
                default:
                    errors.Add(new ErrorDetail(path, $"is not an RFM param; expected {RfmNames}"));
                    break;
            }
        }

        return errors.Count == before ? result : null;
    }
}
