using System.Text.Json;
using Affinsy.Core.State;
using Affinsy.State.Sqlite;
using Xunit;

namespace Affinsy.State.Tests.Sqlite;

public sealed class JsonlDeadLetterStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 3, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-dlq-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Each_dead_letter_is_one_parseable_json_line_with_reason_position_and_record()
    {
        var token = TestContext.Current.CancellationToken;
        using var store = new JsonlDeadLetterStore(Path.Combine(_directory, "dead-letters"));

        await store.WriteAsync("shop", new DeadLetter("negative price", "line 7", "A,\"Tea, green\",-1", "A", At), token);
        await store.WriteAsync("shop", new DeadLetter("bad", "line 9", "x\ny", null, At, Details: "[{\"path\":\"p\"}]"), token);

        var lines = await File.ReadAllLinesAsync(store.PathFor("shop"), token);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("negative price", first.RootElement.GetProperty("reason").GetString());
        Assert.Equal("line 7", first.RootElement.GetProperty("position").GetString());
        Assert.Equal("A,\"Tea, green\",-1", first.RootElement.GetProperty("original_record").GetString());
        Assert.Equal("A", first.RootElement.GetProperty("order_id").GetString());
        Assert.Equal(At, first.RootElement.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("shop", first.RootElement.GetProperty("pipeline").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("x\ny", second.RootElement.GetProperty("original_record").GetString());
    }

    [Fact]
    public async Task Counts_are_per_pipeline_and_a_pipeline_without_letters_has_none()
    {
        var token = TestContext.Current.CancellationToken;
        using var store = new JsonlDeadLetterStore(_directory);
        await store.WriteManyAsync("a", [Letter(1), Letter(2), Letter(3)], token);
        await store.WriteAsync("b", Letter(4), token);

        Assert.Equal(3, await store.CountAsync("a", token));
        Assert.Equal(1, await store.CountAsync("b", token));
        Assert.Equal(0, await store.CountAsync("c", token));
    }

    [Fact]
    public async Task Letters_read_back_as_written()
    {
        var token = TestContext.Current.CancellationToken;
        using var store = new JsonlDeadLetterStore(_directory);
        await store.WriteManyAsync("a", [Letter(1), Letter(2)], token);

        var read = new List<DeadLetter>();
        await foreach (var letter in store.ReadAsync("a", token))
        {
            read.Add(letter);
        }

        Assert.Equal([Letter(1), Letter(2)], read);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../escape")]
    public void A_pipeline_name_cannot_escape_the_directory(string pipeline)
    {
        using var store = new JsonlDeadLetterStore(_directory);

        Assert.Throws<ArgumentException>(() => store.PathFor(pipeline));
    }

    private static DeadLetter Letter(int n) => new($"reason {n}", $"line {n}", $"row {n}", $"o{n}", At);
}
