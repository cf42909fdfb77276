using System.Globalization;
using Affinsy.Connectors.Shopify.Api;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Reading;

/// <summary>
/// <c>check</c> for a Shopify source, without reading as a sync does: in bulk mode a read starts a bulk operation
/// (work on Shopify's side, and a slot of the few an app may run at once). One GraphQL request gives the shop's name
/// and the app's scopes; the response names the API version served; in graphql and rest modes a small first page of
/// orders proves the path a sync takes. Nothing here starts anything on the shop.
/// </summary>
internal sealed class ShopifySourceCheck(ShopifySourceOptions options, ShopifyClient client, TimeProvider time)
{
    /// <summary>Orders asked for by the first-page check: enough to prove the path, cheap in cost points.</summary>
    internal const int FirstPageSize = 5;

    /// <summary>Without read_all_orders Shopify returns only orders created in the last 60 days (shopify.dev access scopes list).</summary>
    private static readonly TimeSpan RecentOnly = TimeSpan.FromDays(60);

    public async Task<IReadOnlyList<CheckFinding>> RunAsync(CancellationToken cancellationToken)
    {
        var findings = new List<CheckFinding>();
        GqlCheckData data;
        try
        {
            var response = await client.GraphQLAsync(ShopifyQueries.Check, null, GraphQLJsonContext.Default.GqlResponseGqlCheckData, cancellationToken).ConfigureAwait(false);
            data = response.Data ?? throw new ShopifyApiException($"Shopify answered no data to the shop query for {options.Shop}.");
        }
        catch (ShopifyApiException e)
        {
            // Without an answer nothing else can be checked; the message already says what to fix.
            return [new CheckFinding("credentials", false, e.Message)];
        }

        findings.Add(new CheckFinding("credentials", true, $"token accepted by {options.Shop} (shop name: {data.Shop?.Name ?? "unknown"})"));
        var scopes = data.CurrentAppInstallation?.AccessScopes?.Select(s => s.Handle).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        var readOrders = scopes.Contains("read_orders");
        findings.Add(ReadOrders(readOrders, scopes));
        if (NeedsAllOrders() is { } why)
        {
            findings.Add(ReadAllOrders(scopes.Contains("read_all_orders"), why));
        }

        findings.Add(Version());
        if (readOrders)
        {
            findings.Add(await FirstPageAsync(cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    private CheckFinding ReadOrders(bool granted, HashSet<string> scopes) => granted
        ? new CheckFinding("scope read_orders", true, "granted")
        : new CheckFinding("scope read_orders", false,
            $"the app's token for {options.Shop} lacks the read_orders scope (granted: {(scopes.Count == 0 ? "none" : string.Join(", ", scopes.Order(StringComparer.Ordinal)))}). "
            + "Add read_orders to the app's Admin API access scopes (Shopify admin > Settings > Apps and sales channels > Develop apps > your app > Configuration), "
            + "reinstall the app and set the new access token.");

    private CheckFinding ReadAllOrders(bool granted, string why) => granted
        ? new CheckFinding("scope read_all_orders", true, $"granted ({why})")
        : new CheckFinding("scope read_all_orders", false,
            $"{why}, but the token lacks read_all_orders, so Shopify returns only the last 60 days of orders. "
            + "Request read_all_orders (Shopify must approve it for public apps) and reinstall the app, or set start_date within the last 60 days.");

    /// <summary>Why the first sync needs orders older than 60 days, or null when start_date keeps it within them.</summary>
    private string? NeedsAllOrders()
    {
        var window = time.GetUtcNow() - RecentOnly;
        return options.StartDate switch
        {
            null => "the first sync reads the whole history (no start_date)",
            { } start when start < window.AddDays(-1) => $"start_date {start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is more than 60 days ago",
            _ => null,
        };
    }

    /// <summary>The version Shopify served against the configured one (it falls forward from a retired version).</summary>
    private CheckFinding Version()
    {
        var now = time.GetUtcNow();
        if (client.ServedVersion is not { } served)
        {
            return new CheckFinding("api version", true, $"asked for {options.ApiVersion}; Shopify did not name the version served (no X-Shopify-API-Version header)");
        }

        if (served != options.ApiVersion)
        {
            return new CheckFinding("api version", false,
                $"asked for {options.ApiVersion} but Shopify served {served} (the requested version is retired or unknown, so Shopify fell forward): "
                + $"set api_version: {ApiVersionCalendar.Newest(now)} in the pipeline's source.");
        }

        return ApiVersionCalendar.Warning(options.ApiVersion, now) is { } warning
            ? new CheckFinding("api version", true, $"{served} served; warning: {warning}")
            : new CheckFinding("api version", true, $"{served} served");
    }

    /// <summary>bulk: says what a sync will do; graphql and rest: one small page, as the first sync asks for it.</summary>
    private async Task<CheckFinding> FirstPageAsync(CancellationToken cancellationToken)
    {
        if (options.Mode == ShopifyReadMode.Bulk)
        {
            return new CheckFinding("first page", true,
                "mode bulk: check starts no bulk operation; the first sync exports every order in one, later syncs read GraphQL pages");
        }

        var since = options.StartDate is { } start ? ShopifyOrderSource.Iso(start) : null;
        try
        {
            int count;
            if (options.Mode == ShopifyReadMode.Rest)
            {
                var url = string.Create(CultureInfo.InvariantCulture, $"orders.json?status=any&limit={FirstPageSize}")
                    + (since is null ? string.Empty : "&updated_at_min=" + Uri.EscapeDataString(since));
                var (page, _) = await client.RestOrdersAsync(new Uri(client.AdminBase, url), cancellationToken).ConfigureAwait(false);
                count = page.Orders?.Count ?? 0;
            }
            else
            {
                var response = await client.GraphQLAsync(ShopifyQueries.Orders(1),
                    new GqlVariables { First = FirstPageSize, Query = since is null ? null : $"updated_at:>='{since}'" },
                    GraphQLJsonContext.Default.GqlResponseGqlOrdersData, cancellationToken).ConfigureAwait(false);
                count = response.Data?.Orders?.Edges?.Count ?? 0;
            }

            var mode = options.Mode.ToString().ToLowerInvariant();
            return new CheckFinding("first page", true, count == 0
                ? $"{mode} page reachable, but no orders {(since is null ? "exist yet" : $"were updated on or after start_date {since[..10]}")}"
                : string.Create(CultureInfo.InvariantCulture, $"read {count} orders ({mode} page of up to {FirstPageSize})"));
        }
        catch (ShopifyApiException e)
        {
            return new CheckFinding("first page", false, e.Message);
        }
    }
}
