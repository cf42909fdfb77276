using Affinsy.Core.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary><c>dead-letters replay</c> reads a letter's line again with the pipeline's current <c>fields:</c>.</summary>
public sealed class ReplayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_line_refused_for_an_unmapped_name_becomes_an_order_once_fields_maps_it_keeping_the_letters_position()
    {
        const string line = """{"id":"A-1","line_items":[{"product_name":"Mug","unit_price":4.5,"quantity":2}]}""";
        var letter = new DeadLetter("no 'order_id'", "https://f.example.com/o?page=2 line 7", line, null, DateTimeOffset.UnixEpoch);
        var before = Yaml.Parse("type: http-jsonl\nurl: https://f.example.com/o").Pipelines[0].CreateReplayer(TimeProvider.System, NullLoggerFactory.Instance)!;
        var after = Yaml.Parse("type: http-jsonl\nurl: https://f.example.com/o\nfields: { order_id: id }").Pipelines[0].CreateReplayer(TimeProvider.System, NullLoggerFactory.Instance)!;

        var still = (await before.ReplayAsync(letter, Ct)).Batch!;
        var fixedUp = (await after.ReplayAsync(letter, Ct)).Batch!;

        var refusal = Assert.Single(still.Refusals);
        Assert.Equal((letter.Position, line), (refusal.Position, refusal.OriginalRecord));
        Assert.Contains("but there is 'id'", refusal.Reason, StringComparison.Ordinal);
        Assert.Equal("A-1", Assert.Single(fixedUp.Drafts).OrderId);
        Assert.Empty(fixedUp.Refusals);
    }
}
