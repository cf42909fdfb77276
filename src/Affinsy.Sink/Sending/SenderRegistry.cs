using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Sink.Sending;

/// <summary>
/// Hands out one <see cref="AffinsySender"/> per Affinsy user per process, so pipelines that push for the
/// same user share its rate window and in-flight limit. A user is identified by base URL and API key
/// (by the key's hash: the registry keeps no key as a dictionary key); the first caller's options win.
/// </summary>
public sealed class SenderRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<AffinsySender>> senders = new(StringComparer.Ordinal);
    private readonly Func<HttpClient> httpFactory;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;

    /// <param name="httpFactory">Makes the HttpClient a new sender uses (e.g. from IHttpClientFactory).</param>
    public SenderRegistry(Func<HttpClient> httpFactory, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        this.httpFactory = httpFactory;
        this.time = time ?? TimeProvider.System;
        this.loggers = loggers ?? NullLoggerFactory.Instance;
    }

    /// <summary>The sender for the user these options name, created on first use.</summary>
    public AffinsySender For(SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        var key = options.BaseUrl.AbsoluteUri.TrimEnd('/') + " " + KeyHash(options.ApiKey);
        return senders.GetOrAdd(key, _ => new Lazy<AffinsySender>(
            () => new AffinsySender(httpFactory(), options, time, loggers.CreateLogger<AffinsySender>()))).Value;
    }

    public void Dispose()
    {
        foreach (var sender in senders.Values.Where(s => s.IsValueCreated))
        {
            sender.Value.Dispose();
        }
    }

    /// <summary>The key hash the API documents: lowercase hex SHA-256 of the key's UTF-8 bytes.</summary>
    internal static string KeyHash(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
}
