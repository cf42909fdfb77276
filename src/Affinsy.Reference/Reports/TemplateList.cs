using System.Text.Json;

namespace Affinsy.Reference.Reports;

/// <summary>The <c>GET /templates</c> body.</summary>
internal sealed record TemplateList(IReadOnlyList<TemplateEntry> Templates);

/// <summary>One template as <c>GET /templates</c> lists it.</summary>
internal sealed record TemplateEntry(
    string Template,
    ReportType ReportType,
    CustomerScope CustomerScope,
    string Description,
    JsonElement Params);
