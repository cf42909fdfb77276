using System.Net;

namespace Affinsy.Sink.Api;

/// <summary>
/// Affinsy answered with an error. Carries what the server said (status, <c>error</c>, <c>details</c>,
/// <c>request_id</c>) and never the API key.
/// </summary>
public sealed class AffinsyApiException : Exception
{
    public AffinsyApiException(string operation, HttpStatusCode status, ApiError? body, string? hint = null)
        : base(Describe(operation, status, body, hint))
    {
        Operation = operation;
        Status = status;
        ServerError = body?.Error;
        Details = body?.Details ?? [];
        RequestId = body?.RequestId;
    }

    public AffinsyApiException()
        : this("unknown", HttpStatusCode.InternalServerError, null)
    {
    }

    public AffinsyApiException(string message)
        : base(message)
    {
        Operation = "unknown";
        Details = [];
    }

    public AffinsyApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "unknown";
        Details = [];
    }

    /// <summary>The request, e.g. <c>POST /data/orders</c>.</summary>
    public string Operation { get; }

    public HttpStatusCode Status { get; }

    /// <summary>The server's <c>error</c> message.</summary>
    public string? ServerError { get; }

    public IReadOnlyList<ApiErrorDetail> Details { get; }

    /// <summary>The server's id for a 5xx, to quote when asking about it.</summary>
    public string? RequestId { get; }

    /// <summary>401 and 403: retrying cannot help until a person changes the key or the plan.</summary>
    public bool IsAuthorizationFailure => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>What a person should do about a status, when there is something to say.</summary>
    internal static string? HintFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Check AFFINSY_API_KEY: the key is missing, mistyped or revoked.",
        HttpStatusCode.Forbidden => "The key's user needs the Max plan or higher for API access; upgrade the plan or use another key.",
        _ => null,
    };

    private static string Describe(string operation, HttpStatusCode status, ApiError? body, string? hint)
    {
        var text = $"Affinsy {operation} answered {(int)status} {status}";
        if (!string.IsNullOrEmpty(body?.Error))
        {
            text += $": {body.Error}";
        }

        if (body?.Details is { Count: > 0 } details)
        {
            text += " (" + string.Join("; ", details.Take(5).Select(d => $"{d.Path}: {d.Message}"))
                + (details.Count > 5 ? $"; and {details.Count - 5} more" : string.Empty) + ")";
        }

        if (body?.RequestId is { } id)
        {
            text += $" [request_id {id}]";
        }

        hint ??= HintFor(status);
        return hint is null ? text + "." : $"{text}. {hint}";
    }
}
