using System.Text;
using Affinsy.Core.Orders;
using Affinsy.Reference.Http;
using CsCheck;
using Xunit;

namespace Affinsy.Reference.Tests.Fuzz;

/// <summary>
/// Whatever the body, the ingest parser ends in one of three ways: malformed (a 400 for the whole body), problems
/// that each name a path, or rows the store may take as they are. It never throws: a throw is a 500.
/// </summary>
public sealed class IngestParserProperties
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    [Fact]
    public void Any_mutated_body_parses_to_a_refusal_with_paths_or_to_rows_within_the_contract() =>
        IngestBodies.Mutated.Sample(Check, iter: 4_000);

    [Fact]
    public void Valid_bodies_parse_to_rows_or_to_problems_with_line_item_amounts() =>
        IngestBodies.Valid.Sample(body =>
        {
            var parse = IngestRequestParser.Parse(body);
            Assert.Null(parse.MalformedMessage);
            Assert.All(parse.Details, d => Assert.Contains("line_items", d.Path, StringComparison.Ordinal));
            Assert.True(parse.Details.Count > 0 || parse.Rows.Count > 0);
        }, iter: 1_000);

    // Long runs only when asked: dotnet test --filter Category=Fuzz -- xUnit.Explicit=only
    [Fact(Explicit = true)]
    [Trait("Category", "Fuzz")]
    public void Any_mutated_body_parses_to_a_refusal_with_paths_or_to_rows_within_the_contract_at_length() =>
        IngestBodies.Mutated.Sample(Check, iter: 500_000);

    private static void Check(byte[] body)
    {
        var parse = IngestRequestParser.Parse(body);
        if (parse.MalformedMessage is not null)
        {
            Assert.Empty(parse.Rows);
            return;
        }

        if (parse.Details.Count > 0)
        {
            Assert.All(parse.Details, d => Assert.False(string.IsNullOrEmpty(d.Message)));
            Assert.All(parse.Details, d => Assert.NotNull(d.Path));
            return;
        }

        Assert.NotNull(parse.DatasetId);
        Assert.NotEmpty(parse.Rows);
        var max = (double)OrderRules.MaxAmount;
        foreach (var row in parse.Rows)
        {
            Assert.InRange(row.ProductName.Length, 1, 512);
            StrictUtf8.GetByteCount(row.ProductName + row.OrderId + row.CustomerId); // throws on a lone surrogate
            Assert.InRange(row.UnitPrice, 0, max);
            Assert.InRange(row.Quantity, double.Epsilon, max);
            Assert.True(row.UnitPrice * row.Quantity <= max);
        }
    }
}
