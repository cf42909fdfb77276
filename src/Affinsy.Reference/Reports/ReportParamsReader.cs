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
            var value = param.Value;
            switch (param.Name)
            {
                case "min_support":
                    const string supportRange = "must be greater than 0 and at most 1";
                    if (RequestValues.Decimal(value, path, supportRange, errors) is { } support)
                    {
                        if (support is > 0m and <= 1m)
                        {
                            result = result with { MinSupport = support };
                        }
                        else
                        {
                            errors.Add(new ErrorDetail(path, supportRange));
                        }
                    }

                    break;
                case "min_confidence":
                    const string confidenceRange = "must be from 0 to 1";
                    if (RequestValues.Decimal(value, path, confidenceRange, errors) is { } confidence)
                    {
                        if (confidence is >= 0m and <= 1m)
                        {
                            result = result with { MinConfidence = confidence };
                        }
                        else
                        {
                            errors.Add(new ErrorDetail(path, confidenceRange));
                        }
                    }

                    break;
                case "min_lift":
                    const string liftRange = "must be 0 or greater";
                    if (RequestValues.Decimal(value, path, liftRange, errors) is { } lift)
                    {
                        if (lift >= 0m)
                        {
                            result = result with { MinLift = lift };
                        }
                        else
                        {
                            errors.Add(new ErrorDetail(path, liftRange));
                        }
                    }

                    break;
                case "scope":
                    if (RequestValues.OneOf(value, path, WireNames.BasketScopes, errors) is { } scope)
                    {
                        result = result with { Scope = scope };
                    }

                    break;
                case "customer_scope":
                    var mbaScopes = WireNames.CustomerScopes.Where(s => s.Value != CustomerScope.New90d);
                    if (RequestValues.OneOf(value, path, mbaScopes, errors) is { } customerScope)
                    {
                        result = result with { CustomerScope = customerScope };
                    }

                    break;
                case "max_len":
                    var maxLen = RequestValues.WholeNumber(
                        value, path, ParamLimits.MinMaxLen, ParamLimits.MaxMaxLen, errors);
                    maxLenValid = maxLen is not null;
                    if (maxLen is { } len)
                    {
                        result = result with { MaxLen = len };
                    }

                    break;
                case "max_rules":
                    if (RequestValues.WholeNumber(
                            value, path, ParamLimits.MinMaxRules, ParamLimits.MaxMaxRules, errors) is { } rules)
                    {
                        result = result with { MaxRules = rules };
                    }

                    break;
                case "max_consequent":
                    maxConsequentGiven = true;

                    // Checked against max_len below, once max_len is known whatever the key order.
                    if (RequestValues.WholeNumber(value, path, 1, int.MaxValue, errors) is { } consequent)
                    {
                        result = result with { MaxConsequent = consequent };
                    }
                    else
                    {
                        maxConsequentGiven = false;
                    }

                    break;
                default:
                    errors.Add(new ErrorDetail(path, $"is not an MBA param; expected {MbaNames}"));
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
