using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Affinsy.Emulators.WooCommerce;

/// <summary>
/// A WooCommerce store on loopback: <c>GET /wp-json/wc/v3/orders</c> (page/per_page, status, modified_after with
/// dates_are_gmt in the site's time zone, orderby/order, X-WP-Total, X-WP-TotalPages, Link rel=next/prev, as
/// woocommerce.github.io/woocommerce-rest-api-docs "Pagination" and "List all orders" describe) and
/// <c>GET /wp-json/wc/v3/orders/{id}/refunds</c>, authenticated as <c>WC_REST_Authentication</c> does
/// (<see cref="EmulatedAuthentication"/>: Basic over https only, OAuth 1.0a), and the ways real hosts misbehave on demand:
/// scripted 503/429s, HTML pages, a missing REST route, latency, stalled requests and a host rate limit.
/// </summary>
public sealed partial class WooCommerceEmulator : IAsyncDisposable
{
    public const string ConsumerKey = "ck_emulated_0123456789abcdef";
    public const string ConsumerSecret = "cs_emulated_fedcba9876543210";

    private readonly WebApplication _app;
    private readonly bool _https;
    private readonly EmulatedAuthentication _auth;
    private readonly Lock _gate = new();
    private readonly List<EmulatedOrder> _orders;
    private readonly Dictionary<long, EmulatedOrder> _byId;

    // What the connector asks for (its statuses, by modified date ascending), sorted once per status set and change
    // of the store instead of once per page: a million-order store is then paged in O(log N + page) per request.
    private readonly Dictionary<string, EmulatedOrder[]> _modifiedAscending = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, int? RetryAfter)> _failures = new();
    private readonly Queue<long> _recent = new();
    private readonly List<EmulatorRequest> _requests = [];
    private int _stalls;
    private long _violations;

    private WooCommerceEmulator(WebApplication app, IEnumerable<EmulatedOrder> orders, TimeProvider time, bool https)
    {
        _app = app;
        _https = https;
        _auth = new EmulatedAuthentication(time);
        _orders = [.. orders];
        _byId = _orders.ToDictionary(o => o.Id);
        Time = time;
    }

    /// <summary>The site root (what a merchant puts in <c>url</c>).</summary>
    public Uri SiteUrl { get; private set; } = null!;

    public TimeProvider Time { get; }

    /// <summary>False: the key exists but has no read permission (401 woocommerce_rest_authentication_error).</summary>
    public bool KeyCanRead
    {
        get => _auth.KeyCanRead;
        set => _auth.KeyCanRead = value;
    }

    /// <summary>
    /// The site's time zone (Settings > General). The REST docs' example order ("Retrieve an order") is three hours
    /// behind GMT (<c>date_created</c> 16:28:02, <c>date_created_gmt</c> 19:28:02), and so is this store by default.
    /// <c>modified_after</c> is read in it unless <c>dates_are_gmt=true</c> (class-wc-rest-crud-controller.php:
    /// <c>post_modified_gmt</c> with the flag, <c>post_modified</c> without).
    /// </summary>
    public TimeSpan SiteOffset { get; set; } = TimeSpan.FromHours(-3);

    /// <summary>False: WooCommerce's REST routes are not registered (404 rest_no_route).</summary>
    public bool RestEnabled { get; set; } = true;

    /// <summary>When set, every request is answered with this HTML page and <see cref="HtmlStatus"/> (security plugin, maintenance).</summary>
    public string? HtmlPage { get; set; }

    public int HtmlStatus { get; set; } = 200;

    /// <summary>Added to every request (a slow shared host).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Requests allowed per <see cref="RateWindow"/>; past it: 429 with <c>Retry-After</c>. Null: no limit.</summary>
    public int? HostRateLimit { get; set; }

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Called before an orders list is answered (tests hold a request here to cancel mid-sync).</summary>
    public Func<EmulatorRequest, CancellationToken, Task>? BeforeOrdersAnswer { get; set; }

    /// <summary>Requests answered 429 because the host rate limit was exceeded.</summary>
    public long RateLimitViolations => Interlocked.Read(ref _violations);

    public IReadOnlyList<EmulatorRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The store's orders (the same objects the emulator serves; do not change them during a sync).</summary>
    public IReadOnlyList<EmulatedOrder> Orders
    {
        get
        {
            lock (_gate)
            {
                return [.. _orders];
            }
        }
    }

    public static async Task<WooCommerceEmulator> StartAsync(IEnumerable<EmulatedOrder> orders, CancellationToken cancellationToken, TimeProvider? time = null) =>
        await StartAsync(orders, tlsCertificate: null, cancellationToken, time);

    /// <summary>Serves plain http on <paramref name="urls"/> (e.g. <c>http://127.0.0.1:8702</c>), logging through <paramref name="logging"/>.</summary>
    public static Task<WooCommerceEmulator> StartAsync(IEnumerable<EmulatedOrder> orders, string urls, Action<ILoggingBuilder>? logging, CancellationToken cancellationToken) =>
        StartAsync(orders, null, cancellationToken, null, urls, logging);

    /// <summary>
    /// Serves HTTPS with a self-signed certificate issued for another name, as a misconfigured host would:
    /// clients that validate certificates fail the handshake.
    /// </summary>
    public static async Task<WooCommerceEmulator> StartWithUntrustedCertificateAsync(IEnumerable<EmulatedOrder> orders, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=wrong-host.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var generated = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pfx), null);
        return await StartAsync(orders, certificate, cancellationToken, null);
    }

    private static async Task<WooCommerceEmulator> StartAsync(
        IEnumerable<EmulatedOrder> orders, X509Certificate2? tlsCertificate, CancellationToken cancellationToken, TimeProvider? time,
        string urls = "http://127.0.0.1:0", Action<ILoggingBuilder>? logging = null)
    {
        // No appsettings.json watch: it is a recursive FileSystemWatcher on the working directory, which wakes on every
        // write beneath it (SQLite's WAL included) and costs inotify instances. appsettings.json is still read once at start.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        if (tlsCertificate is null)
        {
            builder.WebHost.UseUrls(urls);
        }
        else
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(tlsCertificate)));
        }

        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        var app = builder.Build();
        var emulator = new WooCommerceEmulator(app, orders, time ?? TimeProvider.System, tlsCertificate is not null);
        app.Map("/{**path}", emulator.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.SiteUrl = new Uri(address.TrimEnd('/') + "/shop/");
        return emulator;
    }

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/> (with Retry-After seconds when given).</summary>
    public void FailNext(int count, int status = 503, int? retryAfterSeconds = null)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue((status, retryAfterSeconds));
        }
    }

    /// <summary>The next <paramref name="count"/> requests never answer (until the client gives up on them).</summary>
    public void StallNext(int count) => Interlocked.Add(ref _stalls, count);

    /// <summary>Changes an order and stamps its modified date, as an edit in wp-admin would.</summary>
    public void Modify(long id, DateTime modifiedGmt, Action<EmulatedOrder> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var order = _byId[id];
            change(order);
            order.ModifiedGmt = modifiedGmt;
            _modifiedAscending.Clear();
        }
    }

    /// <summary>A new order arrives.</summary>
    public void Add(EmulatedOrder order)
    {
        lock (_gate)
        {
            _byId.Add(order.Id, order);
            _orders.Add(order);
            _modifiedAscending.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int Int(string? text, int defaultValue) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : defaultValue;

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteStartObject("data");
            json.WriteNumber("status", status);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}

/// <summary>A request the emulator received.</summary>
public sealed record EmulatorRequest(string Path, string Query);
