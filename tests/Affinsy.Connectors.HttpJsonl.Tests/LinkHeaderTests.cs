using Affinsy.Connectors.HttpJsonl.Http;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>
/// <c>rel="next"</c> as RFC 8288 section 3 serialises links and GitHub sends them; the header values below are
/// GitHub's documented example (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api)
/// and the RFC's own examples (section 3.5).
/// </summary>
public sealed class LinkHeaderTests
{
    private static readonly Uri Requested = new("https://api.example.com/repositories/1300192/issues?page=3");

    [Fact]
    public void GitHubs_documented_header_gives_its_next_page() =>
        Assert.Equal(
            new Uri("https://api.github.com/repositories/1300192/issues?page=4"),
            LinkHeader.Next(
                ["<https://api.github.com/repositories/1300192/issues?page=2>; rel=\"prev\", <https://api.github.com/repositories/1300192/issues?page=4>; rel=\"next\", <https://api.github.com/repositories/1300192/issues?page=515>; rel=\"last\", <https://api.github.com/repositories/1300192/issues?page=1>; rel=\"first\""],
                Requested));

    [Fact]
    public void The_last_page_without_next_ends_the_paging() =>
        Assert.Null(LinkHeader.Next(["<https://api.github.com/x?page=1>; rel=\"first\", <https://api.github.com/x?page=2>; rel=\"prev\""], Requested));

    [Theory]
    [InlineData("</orders?page=4>; rel=next", "https://api.example.com/orders?page=4")]
    [InlineData("<page4>; rel=\"NEXT\"", "https://api.example.com/repositories/1300192/page4")]
    [InlineData("<https://x.test/a>; title=\"a, b; rel=next\"; rel=\"last\", <https://x.test/b>; rel=\"start next\"", "https://x.test/b")]
    [InlineData("<https://x.test/a>; rel=\"prev\"; rel=\"next\", <https://x.test/c>; rel=next", "https://x.test/c")]
    public void Relative_targets_case_quoted_commas_several_types_and_repeated_rel_follow_the_rfc(string header, string expected) =>
        Assert.Equal(new Uri(expected), LinkHeader.Next([header], Requested));

    [Fact]
    public void Several_link_header_fields_are_one_list() =>
        Assert.Equal(new Uri("https://x.test/n"), LinkHeader.Next(["<https://x.test/p>; rel=prev", "<https://x.test/n>; rel=next"], Requested));
}
