using System.Text.Json;

namespace Affinsy.Emulators.Shopify;

/// <summary>
/// What the app may see of the shop itself: <c>shop { name }</c> (shopify.dev GraphQL Admin "shop" query, the Shop
/// object's <c>name</c>) and <c>currentAppInstallation { accessScopes { handle } }</c> (shopify.dev "currentAppInstallation"
/// query, https://shopify.dev/docs/api/admin-graphql/latest/queries/currentAppInstallation: a list of AccessScope objects
/// whose <c>handle</c> reads like <c>read_orders</c>). Neither needs a scope; orders do.
/// </summary>
public sealed partial class ShopifyEmulator
{
    private bool MayReadOrders => options.Scopes.Contains("read_orders");

    /// <summary>Answers whichever of <c>shop</c> and <c>currentAppInstallation</c> the query asks for.</summary>
    private void WriteShopAndInstallation(Utf8JsonWriter w, string query)
    {
        if (query.Contains("shop {", StringComparison.Ordinal) || query.Contains("shop{", StringComparison.Ordinal))
        {
            w.WriteStartObject("shop");
            w.WriteString("name", options.ShopName);
            w.WriteEndObject();
        }

        if (query.Contains("currentAppInstallation", StringComparison.Ordinal))
        {
            w.WriteStartObject("currentAppInstallation");
            w.WriteStartArray("accessScopes");
            foreach (var scope in options.Scopes)
            {
                w.WriteStartObject();
                w.WriteString("handle", scope);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    /// <summary>
    /// Shopify's answer to a field the token's scopes do not cover: <c>data</c> null and an ACCESS_DENIED error pointing
    /// at the access scopes page (shopify.dev "GraphQL Admin API" status and error codes; ACCESS_DENIED).
    /// </summary>
    private static void WriteAccessDenied(Utf8JsonWriter w, string field)
    {
        w.WriteStartArray("errors");
        w.WriteStartObject();
        w.WriteString("message", $"Access denied for {field} field. Required access: `read_orders` access scope.");
        w.WriteStartArray("path");
        w.WriteStringValue(field);
        w.WriteEndArray();
        w.WriteStartObject("extensions");
        w.WriteString("code", "ACCESS_DENIED");
        w.WriteString("documentation", "https://shopify.dev/api/usage/access-scopes");
        w.WriteString("requiredAccess", "`read_orders` access scope.");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteNull("data");
    }
}
