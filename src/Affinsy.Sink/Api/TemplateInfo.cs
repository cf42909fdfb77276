using System.Text.Json;

namespace Affinsy.Sink.Api;

/// <summary>One entry of GET /templates.</summary>
internal sealed record TemplateInfo(
    string Template,
    string ReportType,
    string? CustomerScope,
    string? Description,
    JsonElement? Params);

/// <summary>GET /templates.</summary>
internal sealed record TemplateList(IReadOnlyList<TemplateInfo> Templates);
