using Affinsy.Core.Sources;

namespace Affinsy.Connectors.Kafka.Tests;

public sealed class CheckpointTests
{
    [Fact]
    public async Task A_checkpoint_from_another_kind_of_source_fails_before_consuming_and_names_the_reset()
    {
        var options = new KafkaSourceOptions { BootstrapServers = "127.0.0.1:9", GroupId = "g", Topics = ["orders"] };
        var source = new KafkaOrderSource(options, SourceContext.ForTesting("kafka"));
        var foreign = new Checkpoint("""{"updated_at":"2025-03-01T10:00:00+00:00"}""");

        var e = await Assert.ThrowsAsync<UnreadableCheckpointException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(foreign, TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Contains("state reset", e.Message, StringComparison.Ordinal);
    }
}
