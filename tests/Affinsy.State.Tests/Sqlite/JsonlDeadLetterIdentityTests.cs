using Affinsy.Core.State;
using Affinsy.State.Sqlite;
using Xunit;

namespace Affinsy.State.Tests.Sqlite;

/// <summary>The file store keeps one line per refusal across processes, old files and torn writes.</summary>
public sealed class JsonlDeadLetterIdentityTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 3, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("affinsy-dlq-id-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Sixty_bad_rows_read_three_times_leave_sixty_lines()
    {
        var letters = Enumerable.Range(1, 60).Select(Letter).ToList();
        for (var pass = 0; pass < 3; pass++)
        {
            // Each pass is a new process: a resume after a crash, then a full refresh.
            using var store = new JsonlDeadLetterStore(_directory);
            await store.WriteManyAsync("shop", letters.Skip(pass * 10).Concat(letters.Take(pass * 10)).ToList(), Ct);
        }

        Assert.Equal(60, (await File.ReadAllLinesAsync(Path.Combine(_directory, "shop.jsonl"), Ct)).Length);
    }

    [Fact]
    public async Task Two_stores_on_one_directory_see_what_the_other_appended()
    {
        using var first = new JsonlDeadLetterStore(_directory);
        using var second = new JsonlDeadLetterStore(_directory);
        await first.WriteAsync("shop", Letter(1), Ct);
        await second.WriteManyAsync("shop", [Letter(1), Letter(2)], Ct);

        await first.WriteManyAsync("shop", [Letter(2), Letter(3)], Ct);

        Assert.Equal(3, await first.CountAsync("shop", Ct));
    }

    [Fact]
    public async Task Lines_written_before_letters_had_ids_are_recognised()
    {
        var path = Path.Combine(_directory, "shop.jsonl");
        await File.WriteAllTextAsync(path, """
            {"pipeline":"shop","reason":"reason 1","position":"line 1","original_record":"r1","order_id":"o1","at":"2025-03-15T10:30:01+00:00"}

            """, Ct);
        using var store = new JsonlDeadLetterStore(_directory);

        await store.WriteManyAsync("shop", [Letter(1), Letter(2)], Ct);

        Assert.Equal(2, await store.CountAsync("shop", Ct));
        var listed = new List<StoredDeadLetter>();
        await foreach (var stored in store.ListAsync("shop", Ct))
        {
            listed.Add(stored);
        }

        Assert.Equal([DeadLetterIdentity.Of("shop", Letter(1)), DeadLetterIdentity.Of("shop", Letter(2))], listed.Select(l => l.Id));
    }

    [Fact]
    public async Task A_line_a_crash_cut_short_is_ended_and_the_next_letter_starts_its_own()
    {
        var path = Path.Combine(_directory, "shop.jsonl");
        await File.WriteAllTextAsync(path, """{"pipeline":"shop","reason":"rea""", Ct);
        using var store = new JsonlDeadLetterStore(_directory);

        await store.WriteAsync("shop", Letter(1), Ct);

        var listed = new List<StoredDeadLetter>();
        await foreach (var stored in store.ListAsync("shop", Ct))
        {
            listed.Add(stored);
        }

        Assert.Equal([Letter(1)], listed.Select(l => l.Letter));
        Assert.Equal(2, (await File.ReadAllLinesAsync(path, Ct)).Length);
    }

    [Fact]
    public async Task Show_finds_a_letter_by_id_in_any_pipelines_file()
    {
        using var store = new JsonlDeadLetterStore(_directory);
        await store.WriteAsync("a", Letter(1), Ct);
        await store.WriteAsync("b", Letter(2), Ct);

        var found = await store.FindAsync(DeadLetterIdentity.Of("b", Letter(2)).ToUpperInvariant(), Ct);

        Assert.Equal(("b", Letter(2)), (found?.Pipeline, found?.Letter));
        Assert.Null(await store.FindAsync("not-an-id", Ct));
    }

    private static DeadLetter Letter(int n) => new($"reason {n}", $"line {n}", $"r{n}", $"o{n}", At.AddSeconds(n));
}
