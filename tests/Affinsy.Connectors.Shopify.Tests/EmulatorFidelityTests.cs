using System.Net.Http.Json;
using System.Text.Json;
using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Emulators.Shopify;
using Affinsy.Sink.Pipelines;

namespace Affinsy.Connectors.Shopify.Tests;

/// <summary>The emulator answering the awkward parts of Shopify's documents, and the connector still landing every order exactly.</summary>
public sealed class EmulatorFidelityTests
{
    /// <summary>
    /// shopify.dev "Perform bulk operations with the GraphQL Admin API" (https://shopify.dev/docs/api/usage/bulk-operations/queries):
    /// from 2026-01 an app may run up to five bulk query operations at a time per shop, and <c>currentBulkOperation</c>
    /// returns the app's most recent one. Here another query of the app (products) starts just after ours, so a client
    /// that read <c>currentBulkOperation</c> would, for Completed, download the products file (no orders: an empty or
    /// dead-lettered sync); for Running, wait on an operation that never ends; for Failed, fail a run whose own export
    /// succeeded. The connector follows its operation by id (<c>node(id:)</c>) and lands exactly the store.
    /// </summary>
    [Theory]
    [InlineData(ForeignBulk.Completed)]
    [InlineData(ForeignBulk.Running)]
    [InlineData(ForeignBulk.Failed)]
    public async Task A_bulk_sync_follows_its_own_operation_while_another_query_of_the_app_is_the_current_one(ForeignBulk foreign)
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 300, ForeignBulkAfterOurs = foreign });

        var result = await h.SyncAsync(ShopifyReadMode.Bulk);

        Assert.True(result.Outcome == SyncOutcome.Completed, result.Error);
        Assert.Equal(ExpectedRows.For(h.Emulator.Orders), ExpectedRows.Of(h.Landed()));
        Assert.Empty(await h.DeadLettersAsync());
        Assert.Equal(2, h.Emulator.BulkOperationsStarted);
        var current = await CurrentBulkOperationAsync(h);
        Assert.Equal("gid://shopify/BulkOperation/2", current.GetProperty("id").GetString());
        Assert.Equal(foreign switch { ForeignBulk.Completed => "COMPLETED", ForeignBulk.Running => "RUNNING", _ => "FAILED" },
            current.GetProperty("status").GetString());
    }

    /// <summary>Asks the emulated shop <c>currentBulkOperation</c> as any other client would.</summary>
    internal static async Task<JsonElement> CurrentBulkOperationAsync(ShopifyHarness h)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(h.Emulator.BaseUrl, "admin/api/2026-10/graphql.json"))
        {
            Content = JsonContent.Create(new { query = "{ currentBulkOperation { id status url } }" }),
        };
        request.Headers.Add("X-Shopify-Access-Token", h.Emulator.Options.AccessToken);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("data").GetProperty("currentBulkOperation").Clone();
    }
}
