using Affinsy.Reference.Http;
using Affinsy.Reference.Storage;
using CsCheck;
using Xunit;

namespace Affinsy.Reference.Tests.Fuzz;

/// <summary>
/// The parser's row buffers are reused once a parse is released: a parse still held keeps its rows whatever is parsed
/// and released after it, and a parse into reused buffers gives the rows a first parse of the same body gave, with
/// nothing left over from a bigger body before it.
/// </summary>
public sealed class IngestBufferReuseProperties
{
    [Fact]
    public void Reused_buffers_give_the_same_rows_and_never_touch_a_held_parse() =>
        Gen.Select(IngestBodies.Mutated.Array[2, 6], IngestBodies.Valid).Sample((bodies, held) =>
        {
            var heldParse = IngestRequestParser.Parse(held);
            var heldRows = heldParse.Rows.ToArray();
            foreach (var body in bodies)
            {
                var first = IngestRequestParser.Parse(body);
                var expected = Rows(first);
                first.Release();
                var again = IngestRequestParser.Parse(body);
                Assert.Equal(expected, Rows(again));
                Assert.Equal(first.Details.Select(d => d.Path), again.Details.Select(d => d.Path));
                again.Release();
                again.Release(); // a second release gives nothing back twice
            }

            Assert.Equal(heldRows, heldParse.Rows.ToArray());
            heldParse.Release();
        }, iter: 500);

    private static IngestRow[] Rows(IngestParse parse) => [.. parse.Rows];
}
