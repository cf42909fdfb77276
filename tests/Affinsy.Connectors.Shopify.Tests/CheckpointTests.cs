using Affinsy.Connectors.Shopify.Reading;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Shopify.Tests;

public sealed class CheckpointTests
{
    [Fact]
    public async Task A_checkpoint_from_another_kind_of_source_fails_before_any_request_and_names_the_reset()
    {
        var options = new ShopifySourceOptions { Shop = "x.myshopify.com", AccessToken = "t", BaseUrl = new Uri("http://127.0.0.1:9") };
        var source = new ShopifyOrderSource(options, SourceContext.ForTesting("shop"));
        var foreign = new Checkpoint("""{"path":"/x.csv","offset":10}""");

        var e = await Assert.ThrowsAsync<UnreadableCheckpointException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(foreign, TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Contains("state reset", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bulk_orders_done")]
    [InlineData("bulk_lines_done")]
    public void A_stored_checkpoint_of_an_existing_format_still_reads(string doneField)
    {
        var stored = new Checkpoint($$"""{"updated_at":"2025-03-01T10:00:00+00:00","bulk_operation_id":"gid://shopify/BulkOperation/1","{{doneField}}":42}""");

        var read = ShopifyCheckpoint.Start(stored);

        Assert.Equal((new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), "gid://shopify/BulkOperation/1"), (read.UpdatedAt, read.BulkOperationId));
    }
}
