using System.Text;
using Affinsy.Reference.Mining;
using Xunit;

namespace Affinsy.Reference.Tests.Mining;

/// <summary>
/// The byte reader must give exactly the baskets the line-by-line text reader gives (StreamReader.ReadLine's line
/// breaks, string Trim's white space), whatever the line endings, blanks, ids or chunk boundaries.
/// </summary>
public sealed class BasketBytesReaderTests
{
    public static TheoryData<string, char> EdgeCases() => new()
    {
        { "1 2 3\r\n2 3\r\n", ' ' },
        { "1 2 3\r2 3\r", ' ' },
        { "1 2 3\n\n\n2\n", ' ' },
        { "1 2   \n  3 1  \t\n", ' ' },
        { "1 2\n3", ' ' },
        { "1 2\n3\r", ' ' },
        { "\n\n", ' ' },
        { "", ' ' },
        { "\uFEFF5 6\n6\n", ' ' },
        { "7 07 007 0 00 7\n07 7\n", ' ' },
        { "\u00A012\u00A0 12 \u200312\n12\n", ' ' },
        { "1\t2 2\t1 1 2\n", ' ' },
        { "99999999 4194304 4194303 99999999\n4194304\n", ' ' },
        { "+5 -5 5 5.0\n", ' ' },
        { "milk,bread , Milk,milk\r\n bread,,\n", ',' },
        { "caf\u00E9 cafe\u0301 caf\u00E9\n", ' ' },
        { "a\u0085b a\n", ' ' },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Edge_cases_read_as_the_text_reader_reads_them(string content, char separator)
    {
        var expected = BasketFileReader.Read(new StringReader(content.TrimStart('\uFEFF')), separator, CancellationToken.None);

        foreach (var chunk in new[] { 1, 2, 3, 7, 1 << 20 })
        {
            AssertSame(expected, ReadBytes(content, separator, chunk));
        }
    }

    [Fact]
    public void Line_endings_and_blanks_count_baskets_as_documented()
    {
        // LF, CRLF and lone CR each end one line; a blank line is an empty basket; no final newline still ends the last one.
        var set = ReadBytes("1 2\r\n\r\n2\r\r3 3   \n4", ' ', 1 << 20);

        Assert.Equal(6, set.Count);
        Assert.Equal([2, 0, 1, 0, 1, 1], Enumerable.Range(0, set.Count).Select(b => set.Basket(b).Length));
    }

    [Fact]
    public void An_id_with_leading_zeros_is_a_different_product()
    {
        var set = ReadBytes("7 07\n7\n", ' ', 1 << 20);

        Assert.Equal(2, set.DistinctItems);
        Assert.Equal(["07", "7"], Enumerable.Range(0, set.DistinctItems).Select(set.ItemName).Order(StringComparer.Ordinal));
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 0; seed < 60; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_files_read_as_the_text_reader_reads_them(int seed)
    {
        string[] pieces = ["1", "2", "17", "017", "4194304", "123456789", " ", " ", " ", "\t", "\r", "\n", "\r\n", ",", "a", "A", "\u00E9", "\u00A0", "\u3000", "0", "-", "\uFFFD"];
        var random = new Random(seed);
        var text = new StringBuilder();
        var length = random.Next(2000);
        for (var i = 0; i < length; i++)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        var content = text.ToString();
        var separator = random.Next(3) == 0 ? ',' : ' ';
        var expected = BasketFileReader.Read(new StringReader(content), separator, CancellationToken.None);

        AssertSame(expected, ReadBytes(content, separator, 1 + random.Next(40)));
    }

    [Fact]
    public void A_crlf_split_across_reads_is_one_line_break()
    {
        // 70,000 bytes put CR and LF on both sides of the reader's first 64 KiB read at some line.
        var line = "1 2 3 4 5 6 7 8 9\r\n";
        var content = string.Concat(Enumerable.Repeat(line, 70_000 / line.Length));
        for (var shift = 0; shift < line.Length; shift++)
        {
            var shifted = new string('9', shift) + " " + content;
            var expected = BasketFileReader.Read(new StringReader(shifted), ' ', CancellationToken.None);

            AssertSame(expected, ReadBytes(shifted, ' ', int.MaxValue));
        }
    }

    private static BasketSet ReadBytes(string content, char separator, int chunk) =>
        BasketBytesReader.Read(new ChunkedStream(Encoding.UTF8.GetBytes(content), chunk), separator, CancellationToken.None);

    private static void AssertSame(BasketSet expected, BasketSet actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.DistinctItems, actual.DistinctItems);
        for (var code = 0; code < expected.DistinctItems; code++)
        {
            Assert.Equal(expected.ItemName(code), actual.ItemName(code));
            Assert.Equal(expected.ItemCount(code), actual.ItemCount(code));
            Assert.Equal(expected.NameRank(code), actual.NameRank(code));
        }

        for (var b = 0; b < expected.Count; b++)
        {
            Assert.Equal(expected.Basket(b).ToArray(), actual.Basket(b).ToArray());
        }
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, as pipes and network streams may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
