using System.Text.Json;

namespace Affinsy.Sink.Api;

/// <summary>One entry of GET /templates.</summary>
public sealed record TemplateInfo(
    string Template,
    string ReportType,
    string? CustomerScope,
    string? Description,
    JsonElement? Params);

/// <summary>GET /templates.</summary>
public sealed record TemplateList(IReadOnlyList<TemplateInfo> Templates);
