using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Affinsy.Reference.Reports;

/// <summary>
/// Reads a <c>POST /reports</c> body into a <see cref="ReportSpec"/>: the template fills the type and the
/// params, explicit params override single defaults, and every problem is reported with its path.
/// Unknown fields are refused rather than ignored, so a misspelt option never silently falls back to a default.
/// </summary>
internal static class ReportRequestParser
{
    private const int MaxDatasetIdLength = 128;
    private const int MaxNameLength = 256;
    private const int MaxWebhookUrlLength = 2048;
    private const string Fields = "dataset_id, template, report_type, name, webhook_url, filters, params";

    private static readonly SearchValues<char> DatasetIdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    internal static ReportRequestParseResult Parse(JsonElement body)
    {
        var errors = new List<ErrorDetail>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ErrorDetail("$", "the request body must be a JSON object"));
            return ReportRequestParseResult.Invalid(errors);
        }

        var fields = RequestFields.Read(body, errors);
        var datasetId = ReadDatasetId(fields.DatasetId, errors);
        var (template, type) = ReadTypeAndTemplate(fields.Template, fields.ReportType, errors);
        var name = ReadName(fields.Name, errors);
        var webhookUrl = ReadWebhookUrl(fields.WebhookUrl, errors);
        var (start, end) = ReadFilters(fields.Filters, errors);
        var (mba, rfm) = ReadParams(fields.Params, template, type, errors);
        if (errors.Count > 0)
        {
            return ReportRequestParseResult.Invalid(errors);
        }

        var reportType = type!.Value;
        var paramsJson = mba is not null
            ? JsonSerializer.Serialize(mba, ReportJsonContext.Default.MbaParams)
            : JsonSerializer.Serialize(rfm!, ReportJsonContext.Default.RfmParams);
        var filtersJson = start is null && end is null
            ? "{}"
            : JsonSerializer.Serialize(
                new ReportFilters(new DateRangeFilter(start, end)), ReportJsonContext.Default.ReportFilters);

        return ReportRequestParseResult.Valid(new ReportSpec(
            datasetId!,
            reportType,
            template?.Name,
            name ?? template?.Name ?? (reportType == ReportType.Mba ? "MBA report" : "RFM report"),
            webhookUrl,
            start,
            end,
            mba,
            rfm,
            paramsJson,
            filtersJson));
    }

    /// <summary>The params of the report's type over its template's (or the contract's) defaults.</summary>
    private static (MbaParams? Mba, RfmParams? Rfm) ReadParams(
        JsonElement? paramsValue, ReportTemplate? template, ReportType? type, List<ErrorDetail> errors)
    {
        if (paramsValue is { } given && !RequestValues.Object(given, "params", errors))
        {
            paramsValue = null;
        }

        // Params can only be checked once the type is known; an unknown type is already an error.
        return type switch
        {
            ReportType.Mba => (ReportParamsReader.ReadMba(paramsValue, template?.Mba ?? MbaParams.Default, errors), null),
            ReportType.Rfm => (null, ReportParamsReader.ReadRfm(paramsValue, template?.Rfm ?? RfmParams.Default, errors)),
            _ => (null, null),
        };
    }

    /// <summary>The body's fields by name (null when absent); a field not in the contract is a detail.</summary>
    private readonly record struct RequestFields(
        JsonElement? DatasetId,
        JsonElement? Template,
        JsonElement? ReportType,
        JsonElement? Name,
        JsonElement? WebhookUrl,
        JsonElement? Filters,
        JsonElement? Params)
    {
        public static RequestFields Read(JsonElement body, List<ErrorDetail> errors)
        {
            var fields = default(RequestFields);
            foreach (var field in body.EnumerateObject())
            {
                var value = RequestValues.IsAbsent(field.Value) ? (JsonElement?)null : field.Value;
                fields = field.Name switch
                {
                    "dataset_id" => fields with { DatasetId = value },
                    "template" => fields with { Template = value },
                    "report_type" => fields with { ReportType = value },
                    "name" => fields with { Name = value },
                    "webhook_url" => fields with { WebhookUrl = value },
                    "filters" => fields with { Filters = value },
                    "params" => fields with { Params = value },
                    _ => Unknown(fields, field.Name, errors),
                };
            }

            return fields;
        }

        private static RequestFields Unknown(RequestFields fields, string name, List<ErrorDetail> errors)
        {
            errors.Add(new ErrorDetail(name, $"is not a known field; expected {Fields}"));
            return fields;
        }
    }

    private static string? ReadDatasetId(JsonElement? value, List<ErrorDetail> errors)
    {
        const string path = "dataset_id";
        if (value is not { } given)
        {
            errors.Add(new ErrorDetail(path, "is required"));
            return null;
        }

        var id = RequestValues.String(given, path, errors);
        if (id is null)
        {
            return null;
        }

        if (id.Length is 0 or > MaxDatasetIdLength || id.AsSpan().ContainsAnyExcept(DatasetIdChars))
        {
            errors.Add(new ErrorDetail(path, "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' and '-'"));
            return null;
        }

        return id;
    }

    private static (ReportTemplate? Template, ReportType? Type) ReadTypeAndTemplate(
        JsonElement? templateValue, JsonElement? typeValue, List<ErrorDetail> errors)
    {
        if (templateValue is null && typeValue is null)
        {
            errors.Add(new ErrorDetail("template", "template or report_type is required"));
            return (null, null);
        }

        ReportTemplate? template = null;
        var templateKnown = true;
        if (templateValue is { } givenTemplate)
        {
            var templateName = RequestValues.String(givenTemplate, "template", errors);
            template = templateName is null ? null : ReportTemplates.Find(templateName);
            templateKnown = template is not null;
            if (templateName is not null && template is null)
            {
                var known = string.Join(", ", ReportTemplates.All.Select(t => t.Name));
                errors.Add(new ErrorDetail(
                    "template", $"{RequestValues.Echo(templateName)} is not a known template; expected one of {known}"));
            }
        }

        ReportType? explicitType = typeValue is { } givenType
            ? RequestValues.OneOf(givenType, "report_type", WireNames.ReportTypes, errors)
            : null;

        if (template is not null && explicitType is { } type && type != template.Type)
        {
            errors.Add(new ErrorDetail("report_type", string.Create(
                CultureInfo.InvariantCulture,
                $"is {WireNames.Of(type)} but template '{template.Name}' makes an {WireNames.Of(template.Type)} report; leave report_type out or make it match")));
        }

        // A bad template leaves the type unknown even if report_type is fine: which defaults were meant is unclear.
        return (template, templateKnown ? template?.Type ?? explicitType : null);
    }

    private static string? ReadName(JsonElement? value, List<ErrorDetail> errors)
    {
        if (value is not { } given)
        {
            return null;
        }

        var name = RequestValues.String(given, "name", errors);
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength))
        {
            errors.Add(new ErrorDetail("name", "must be 1-256 characters and not blank"));
            return null;
        }

        return name;
    }

    private static Uri? ReadWebhookUrl(JsonElement? value, List<ErrorDetail> errors)
    {
        const string path = "webhook_url";
        if (value is not { } given)
        {
            return null;
        }

        var text = RequestValues.String(given, path, errors);
        if (text is null)
        {
            return null;
        }

        if (text.Length > MaxWebhookUrlLength
            || !Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(url.Host))
        {
            errors.Add(new ErrorDetail(path, "must be an absolute http or https URL of at most 2048 characters"));
            return null;
        }

        return url;
    }

    private static (DateOnly? Start, DateOnly? End) ReadFilters(JsonElement? value, List<ErrorDetail> errors)
    {
        if (value is not { } filters || !RequestValues.Object(filters, "filters", errors))
        {
            return (null, null);
        }

        JsonElement? range = null;
        foreach (var filter in filters.EnumerateObject())
        {
            if (filter.Name == "dateRange")
            {
                range = RequestValues.IsAbsent(filter.Value) ? null : filter.Value;
            }
            else
            {
                errors.Add(new ErrorDetail("filters." + filter.Name, "is not a known filter; expected dateRange"));
            }
        }

        if (range is not { } dateRange || !RequestValues.Object(dateRange, "filters.dateRange", errors))
        {
            return (null, null);
        }

        DateOnly? start = null, end = null;
        foreach (var bound in dateRange.EnumerateObject())
        {
            var path = "filters.dateRange." + bound.Name;
            switch (bound.Name)
            {
                case "start":
                    start = ReadDate(bound.Value, path, errors);
                    break;
                case "end":
                    end = ReadDate(bound.Value, path, errors);
                    break;
                default:
                    errors.Add(new ErrorDetail(path, "is not a known bound; expected start and/or end"));
                    break;
            }
        }

        if (start > end)
        {
            errors.Add(new ErrorDetail("filters.dateRange", string.Create(
                CultureInfo.InvariantCulture, $"start ({start:yyyy-MM-dd}) must not be after end ({end:yyyy-MM-dd})")));
        }

        return (start, end);
    }

    private static DateOnly? ReadDate(JsonElement value, string path, List<ErrorDetail> errors)
    {
        if (RequestValues.IsAbsent(value))
        {
            return null;
        }

        var text = RequestValues.String(value, path, errors);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new ErrorDetail(path, $"{RequestValues.Echo(text)} is not a date; expected YYYY-MM-DD, e.g. 2025-03-15"));
            return null;
        }

        return date;
    }
}
