using System.Globalization;
using System.Net;
using Affinsy.Connectors.HttpJsonl.Http;
using Affinsy.Connectors.HttpJsonl.Reading;
using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;
using Affinsy.Core.Sources.Http;
using Affinsy.Core.Sources.Jsonl;
using Microsoft.Extensions.Logging;

namespace Affinsy.Connectors.HttpJsonl;

/// <summary>
/// <c>type: http-jsonl</c>. Keys: <c>url</c> (the first page; https, or http on loopback or with
/// <c>allow_insecure_http: true</c>), <c>headers</c> (name: value, values usually <c>${ENV}</c>), <c>page_size</c> with
/// <c>page_size_parameter</c> (default <c>per_page</c>), the <c>jsonl</c> source's <c>fields</c> and <c>strict</c>,
/// <c>max_record_bytes</c>, <c>batch_max_orders</c>, <c>request_timeout</c>.
/// </summary>
internal sealed class HttpJsonlSourcePlugin : ISourcePlugin
{
    private static readonly string[] OwnKeys =
        ["type", "url", "allow_insecure_http", "headers", "page_size", "page_size_parameter", "max_record_bytes", "batch_max_orders", "request_timeout"];

    /// <summary>
    /// The <c>http-jsonl</c> client: one pool per process, connections renewed so DNS changes are followed, no overall
    /// timeout (<c>request_timeout</c> bounds each wait instead). Redirects are not followed: a header holding a
    /// credential must not travel to a host the configuration never named.
    /// </summary>
    internal static readonly SourceHttpClient Client = new()
    {
        Name = HttpJsonlOrderSource.Type,
        Timeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
    };

    public string Type => HttpJsonlOrderSource.Type;

    public BoundSource? Bind(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return BindOptions(section) is { } options
            ? new BoundSource(context => Create(options, context.HttpClients.CreateClient(Client), context)) { Replayer = context => new HttpJsonlRecordReplayer(options, context.TimeProvider) }
            : null;
    }

    internal static HttpJsonlOrderSource Create(HttpJsonlSourceOptions options, HttpClient http, SourceContext context)
    {
        var logger = context.LoggerFactory.CreateLogger("Affinsy.Connectors.HttpJsonl");
        return new HttpJsonlOrderSource(options, new PageClient(http, options, context.TimeProvider, logger), context.TimeProvider, logger);
    }

    internal static HttpJsonlSourceOptions? BindOptions(ConfigSection section)
    {
        var format = JsonlLineFormat.Format;
        section.RejectUnknownKeys([.. OwnKeys, .. format.Keys]);
        var before = section.Problems.All.Count;
        var url = FirstPage(section);
        var options = new HttpJsonlSourceOptions
        {
            FirstPage = url ?? new Uri("http://invalid/"),
            Headers = Headers(section),
            Lines = format.Bind(section),
            BatchMaxOrders = section.GetInt("batch_max_orders", 2_000, 1, 100_000),
            MaxLineBytes = section.GetInt("max_record_bytes", 8 * 1024 * 1024, 4 * 1024, 256 * 1024 * 1024),
            RequestTimeout = section.GetDuration("request_timeout", TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10)),
        };
        return section.Problems.All.Count == before && url is not null ? options : null;
    }

    private static Uri? FirstPage(ConfigSection section)
    {
        if (section.GetString("url", required: true) is not { } text)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            section.Report("url", $"{section.Describe("url")} is not an absolute http(s) URL; give the first page, e.g. https://exports.example.com/orders.jsonl");
            return null;
        }

        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !section.GetBool("allow_insecure_http", false))
        {
            section.Report("url", "plain http would send the headers (credentials) readable on the network; use https, or set allow_insecure_http: true on a trusted network");
            return null;
        }

        if (!section.Has("page_size"))
        {
            if (section.Has("page_size_parameter"))
            {
                section.Report("page_size_parameter", "only used with page_size: give page_size too, or remove it");
            }

            return url;
        }

        var size = section.GetInt("page_size", 100, 1, 100_000);
        var name = section.GetString("page_size_parameter") ?? "per_page";
        if (url.Query.TrimStart('?').Split('&').Any(p => p.Split('=')[0] == name))
        {
            section.Report("page_size", $"the url already sets '{name}': remove it from the url or remove page_size");
            return null;
        }

        var separator = url.Query.Length > 1 ? "&" : "?";
        return new Uri(url.OriginalString + separator + Uri.EscapeDataString(name) + "=" + size.ToString(CultureInfo.InvariantCulture));
    }

    private static Dictionary<string, string> Headers(ConfigSection section)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (section.GetSection("headers") is not { } map)
        {
            return headers;
        }

        foreach (var name in map.Keys)
        {
            var value = map.GetString(name);
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                map.Report(name, "is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
            }
            else if (value is null)
            {
                map.Report(name, "has no value: give one (usually ${SOME_ENV_VAR}) or remove the header");
            }
            else if (value.Any(char.IsControl))
            {
                // The value is never quoted: it is usually a credential.
                map.Report(name, "the value holds a line break or another control character (a trailing newline from a secret file?); remove it");
            }
            else
            {
                headers[name] = value;
            }
        }

        return headers;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
