using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Affinsy.Reference.Http;

/// <summary>Writes the contract's bodies: JSON always, <c>{"error"}</c> on every error, <c>request_id</c> on every 5xx.</summary>
internal static partial class Respond
{
    public static Task Json<T>(HttpContext ctx, int status, T body, JsonTypeInfo<T> type)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(ctx.Response.Body, body, type, ctx.RequestAborted);
    }

    public static Task Raw(HttpContext ctx, int status, string json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(json, ctx.RequestAborted);
    }

    /// <summary>A JSON body already in UTF-8, with its Content-Length.</summary>
    public static Task Utf8(HttpContext ctx, int status, ReadOnlyMemory<byte> json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = json.Length;
        return ctx.Response.Body.WriteAsync(json, ctx.RequestAborted).AsTask();
    }

    public static Task Error(HttpContext ctx, int status, string message, IReadOnlyList<ErrorDetail>? details = null) =>
        Json(ctx, status, new ErrorBody(message, details), ReferenceJsonContext.Default.ErrorBody);

    /// <summary>A 5xx with a fresh request id, logged in full against that id.</summary>
    public static Task ServerError(HttpContext ctx, ILogger log, int status, string message, Exception? cause = null)
    {
        var requestId = Guid.NewGuid().ToString();
        LogServerError(log, cause, status, requestId, ctx.Request.Method, ctx.Request.Path, message);
        return Json(ctx, status, new ErrorBody(message, null, requestId), ReferenceJsonContext.Default.ErrorBody);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Status} request_id={RequestId} {Method} {Path}: {Message}")]
    private static partial void LogServerError(ILogger log, Exception? cause, int status, string requestId, string method, string path, string message);
}
