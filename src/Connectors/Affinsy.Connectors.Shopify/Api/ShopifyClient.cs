using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly;

namespace Affinsy.Connectors.Shopify.Api;

/// <summary>
/// The one class that speaks HTTP to Shopify: GraphQL with cost-based pacing, REST with call-limit pacing,
/// bulk result downloads, retries of transient failures, and user-facing messages for the rest. Swapping in
/// ShopifySharp later replaces this class only; the source sees typed pages.
/// </summary>
internal sealed class ShopifyClient
{
    private const string TokenHeader = "X-Shopify-Access-Token";
    private const string CallLimitHeader = "X-Shopify-Shop-Api-Call-Limit";
    private const string VersionHeader = "X-Shopify-API-Version";

    private readonly HttpClient http;
    private readonly string shop;
    private readonly string accessToken;
    private readonly Uri graphqlUri;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string apiVersion;
    private readonly ResiliencePipeline<HttpResponseMessage> apiRetry;
    private readonly ResiliencePipeline<HttpResponseMessage> downloadRetry;
    private int servedVersionLogged;

    public ShopifyClient(HttpClient http, Uri baseUrl, string shop, string apiVersion, string accessToken, TimeProvider time, ILogger logger)
    {
        this.http = http;
        this.shop = shop;
        this.accessToken = accessToken;
        this.time = time;
        this.logger = logger;
        this.apiVersion = apiVersion;
        AdminBase = new Uri(baseUrl, $"/admin/api/{apiVersion}/");
        graphqlUri = new Uri(AdminBase, "graphql.json");
        Cost = new CostThrottle(time);
        CallLimit = new CallLimitPacer(time);
        apiRetry = ShopifyRetry.ForApi(shop, time, logger);
        downloadRetry = ShopifyRetry.ForDownload(shop, time, logger);
    }

    public Uri AdminBase { get; }

    public CostThrottle Cost { get; }

    public CallLimitPacer CallLimit { get; }

    /// <summary>The version Shopify says it served (<c>X-Shopify-API-Version</c>), once a response named one.</summary>
    public string? ServedVersion { get; private set; }

    /// <summary>Sends one GraphQL document, waiting first for the cost bucket, retrying THROTTLED answers.</summary>
    public async Task<GqlResponse<T>> GraphQLAsync<T>(string query, GqlVariables? variables, JsonTypeInfo<GqlResponse<T>> type, CancellationToken cancellationToken)
    {
        var body = new GqlRequest { Query = query, Variables = variables };
        for (var throttled = 0; ; throttled++)
        {
            // The last requested cost of the same document is the best estimate for this one.
            var wait = Cost.WaitFor(Cost.LastRequestedCostOf(query));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            using var response = await SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, graphqlUri) { Content = JsonContent.Create(body, GraphQLJsonContext.Default.GqlRequest) },
                "GraphQL", cancellationToken).ConfigureAwait(false);
            var result = await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new ShopifyApiException($"Shopify GraphQL answered an empty body for shop {shop}.");
            Cost.Observe(query, result.Extensions?.Cost);
            if (result.Errors is { Count: > 0 } errors)
            {
                if (errors.Exists(e => e.Extensions?.Code == "THROTTLED") && throttled < ShopifyRetry.MaxThrottledAttempts)
                {
                    logger.LogInformation("Shopify {Shop}: GraphQL THROTTLED; waiting for the cost bucket to restore.", shop);
                    var restore = Cost.WaitFor(result.Extensions?.Cost?.RequestedQueryCost ?? 0);
                    await Task.Delay(restore > TimeSpan.Zero ? restore : TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw GraphQLError(errors);
            }

            return result;
        }
    }

    /// <summary>One REST page of orders and the URL of the next one (from the Link header).</summary>
    public async Task<(RestOrdersPage Page, Uri? Next)> RestOrdersAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), "REST", cancellationToken).ConfigureAwait(false);
        var page = await response.Content.ReadFromJsonAsync(RestJsonContext.Default.RestOrdersPage, cancellationToken).ConfigureAwait(false)
            ?? new RestOrdersPage();
        return (page, NextLink(response.Headers));
    }

    /// <summary>Opens a bulk result for streaming. The URL is pre-signed storage: no token is sent to it.</summary>
    public async Task<HttpResponseMessage> OpenBulkResultAsync(Uri url, CancellationToken cancellationToken)
    {
        var response = await downloadRetry.ExecuteAsync("bulk", (Http: http, Url: url), static async (s, _, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, s.Url);
            return await s.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new ShopifyApiException(
                $"Downloading the bulk operation result for shop {shop} answered {(int)response.StatusCode}: the result URL may have expired (they last about a week). Re-run the sync to start a new export.",
                (int)response.StatusCode);
        }
    }

    /// <summary>One call with its retries (<see cref="ShopifyRetry.ForApi"/>); an answer that is still a failure is explained.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string api, CancellationToken cancellationToken)
    {
        var response = await apiRetry.ExecuteAsync(api, (Self: this, Build: build, Api: api),
            static (s, attempt, ct) => s.Self.SendOnceAsync(s.Build, s.Api, attempt, ct), cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var detail = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new ShopifyApiException(StatusMessage(status, detail), status);
        }
    }

    /// <summary>One paced request with the token; every answer's call limit and served version are recorded.</summary>
    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> build, string api, int attempt, CancellationToken cancellationToken)
    {
        if (api == "REST" && CallLimit.WaitForSlot() is { } slot && slot > TimeSpan.Zero)
        {
            await Task.Delay(slot, time, cancellationToken).ConfigureAwait(false);
        }

        HttpResponseMessage response;
        using (var request = build())
        {
            request.Headers.Add(TokenHeader, accessToken);
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError && attempt >= ShopifyRetry.NameResolutionAttempts)
            {
                // A name that does not resolve is a typo far more often than a DNS hiccup: one retry, not a minute of them.
                throw new ShopifyApiException(
                    $"Cannot resolve {request.RequestUri?.Host}: check `shop` ({shop}) and `base_url` in the pipeline's source, and this machine's DNS.");
            }
        }

        if (response.Headers.TryGetValues(CallLimitHeader, out var limits))
        {
            CallLimit.Observe(limits.FirstOrDefault());
        }

        ObserveVersion(response.Headers);
        return response;
    }

    /// <summary>
    /// Shopify answers a retired (or unknown) version as another one and names it in <c>X-Shopify-API-Version</c>
    /// (shopify.dev "About Shopify API versioning"): said once per sync, since every answer after it differs the same way.
    /// </summary>
    private void ObserveVersion(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues(VersionHeader, out var values) || values.FirstOrDefault() is not { Length: > 0 } served)
        {
            return;
        }

        ServedVersion = served;
        if (served != apiVersion && Interlocked.Exchange(ref servedVersionLogged, 1) == 0)
        {
            logger.LogWarning(
                "Shopify {Shop}: asked for API version {Requested} but Shopify served {Served} (the requested version is retired or unknown, so Shopify fell forward). Set api_version: {Served} or newer ({Newest} is the newest stable).",
                shop, apiVersion, served, served, ApiVersionCalendar.Newest(time.GetUtcNow()));
        }
    }

    private string StatusMessage(int status, string detail) => status switch
    {
        401 => $"Shopify refused the access token for shop {shop} (401 Unauthorized): the token is invalid or was revoked. "
            + "Create a new Admin API access token with the read_orders scope (and read_all_orders for orders older than 60 days) and set it in the environment.",
        403 => $"Shopify denied access to orders for shop {shop} (403 Forbidden): the app is missing the read_orders scope "
            + "(or read_all_orders for orders older than 60 days). Add the scope in the app's configuration, reinstall it and use the new token.",
        404 => $"Shopify shop {shop} was not found (404): check the shop domain (name.myshopify.com), base_url and api_version.",
        402 => $"Shopify shop {shop} is frozen (402 Payment Required): the store's Shopify bill is unpaid. Orders can be read again once the shop is unfrozen.",
        423 => $"Shopify shop {shop} is locked (423 Locked): Shopify has locked the store; contact Shopify support. Nothing can be read until it is unlocked.",
        _ => $"Shopify answered {status} for shop {shop}{(detail.Length > 0 ? ": " + detail : string.Empty)}.",
    };

    private ShopifyApiException GraphQLError(List<GqlError> errors)
    {
        var first = errors[0];
        var code = first.Extensions?.Code;
        var message = code switch
        {
            "ACCESS_DENIED" => $"Shopify denied access to orders for shop {shop} (ACCESS_DENIED): the app needs the read_orders scope (and read_all_orders for orders older than 60 days). {first.Message}",
            "MAX_COST_EXCEEDED" => $"Shopify refused the orders query for shop {shop} as too expensive (MAX_COST_EXCEEDED): {first.Message}",
            _ => $"Shopify GraphQL error for shop {shop}{(code is null ? string.Empty : $" ({code})")}: {string.Join("; ", errors.Select(e => e.Message))}",
        };
        return new ShopifyApiException(message);
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length > 300 ? text[..300] : text;
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    /// <summary>The <c>rel="next"</c> target of a Link header.</summary>
    internal static Uri? NextLink(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var part in value.Split(','))
            {
                var open = part.IndexOf('<', StringComparison.Ordinal);
                var close = part.IndexOf('>', StringComparison.Ordinal);
                if (open >= 0 && close > open && part.Contains("rel=\"next\"", StringComparison.Ordinal))
                {
                    return new Uri(part[(open + 1)..close]);
                }
            }
        }

        return null;
    }
}
