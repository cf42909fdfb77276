namespace Affinsy.Sink.Api;

/// <summary>Every error body: <c>{"error", "details"?, "request_id"?}</c>.</summary>
public sealed record ApiError(string? Error, IReadOnlyList<ApiErrorDetail>? Details, string? RequestId);

/// <summary>One validation problem: where in the request (<c>orders[3].line_items[0].quantity</c>) and what.</summary>
public sealed record ApiErrorDetail(string Path, string Message);
