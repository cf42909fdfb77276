namespace Affinsy.Host.Operations;

/// <summary>
/// Stands in for an exception whose text holds a secret: same message, type name and stack text as the
/// original (all masked), so a logger that prints <c>exception.ToString()</c> shows what it would have.
/// The original is deliberately not kept as the inner exception: loggers walk inner exceptions.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string text;
    private readonly string? stackTrace;

    public RedactedException()
        : this(string.Empty)
    {
    }

    public RedactedException(string message)
        : base(message)
    {
        text = message;
    }

    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
        text = message;
    }

    private RedactedException(Exception original, SecretSet secrets)
        : base(secrets.Redact(original.Message))
    {
        text = secrets.Redact(original.ToString());
        stackTrace = original.StackTrace is { } trace ? secrets.Redact(trace) : null;
        OriginalType = original.GetType().FullName;
        HResult = original.HResult;
        Source = original.Source;
    }

    /// <summary>The type name of the exception this stands for.</summary>
    public string? OriginalType { get; }

    public override string? StackTrace => stackTrace ?? base.StackTrace;

    /// <summary>The exception itself when its full text holds no secret, else a masked stand-in.</summary>
    public static Exception? Of(Exception? exception, SecretSet secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (exception is null)
        {
            return null;
        }

        var full = exception.ToString();
        return ReferenceEquals(secrets.Redact(full), full) ? exception : new RedactedException(exception, secrets);
    }

    public override string ToString() => text;
}
