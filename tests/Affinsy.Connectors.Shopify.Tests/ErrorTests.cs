using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Sink.Pipelines;
using Affinsy.Emulators.Shopify;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class ErrorTests
{
    [Fact]
    public async Task An_invalid_token_fails_with_a_message_naming_the_scopes_and_no_secret()
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 5 });

        var result = await h.SyncAsync(h.Options(token: "shpat_wrong_secret"));

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains("401", result.Error, StringComparison.Ordinal);
        Assert.Contains("read_orders", result.Error, StringComparison.Ordinal);
        Assert.Contains("read_all_orders", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("shpat_wrong_secret", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, h.Emulator.GraphQLRequests);
    }

    [Theory]
    [InlineData(403, "read_orders")]
    [InlineData(404, "not found")]
    [InlineData(402, "frozen")]
    [InlineData(423, "locked")]
    public async Task Statuses_a_user_must_act_on_fail_at_once_with_what_to_do(int status, string hint)
    {
        await using var h = await ShopifyHarness.StartAsync(new ShopifyEmulatorOptions { Orders = 5 });
        h.Emulator.FailNextRequests(10, status);

        var result = await h.SyncAsync(ShopifyReadMode.Rest);

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Contains(hint, result.Error, StringComparison.Ordinal);
        Assert.Equal(1, h.Emulator.RestRequests);
    }
}
