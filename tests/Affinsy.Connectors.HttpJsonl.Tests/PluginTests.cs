using Affinsy.Core.Configuration;
using Affinsy.Core.Sources;

namespace Affinsy.Connectors.HttpJsonl.Tests;

/// <summary>The <c>source:</c> keys of <c>type: http-jsonl</c> as the configuration loader binds them.</summary>
public sealed class PluginTests
{
    [Fact]
    public void AddHttpJsonlSource_registers_http_jsonl() => Assert.Equal(["http-jsonl"], new SourceRegistry().AddHttpJsonlSource().Types);

    [Fact]
    public void Page_size_goes_into_the_first_pages_query_and_headers_come_from_the_environment()
    {
        var options = Yaml.Options(
            "type: http-jsonl\nurl: https://feed.example.com/orders?status=paid\npage_size: 250\npage_size_parameter: limit\nheaders: { Authorization: \"Bearer ${T}\" }\nfields: { order_id: id }",
            new Dictionary<string, string> { ["T"] = "tok" });

        Assert.Equal("https://feed.example.com/orders?status=paid&limit=250", options.FirstPage.OriginalString);
        Assert.Equal("Bearer tok", options.Headers["authorization"]);
    }

    [Theory]
    [InlineData("url: http://feed.example.com/orders", "plain http would send the headers")]
    [InlineData("url: ftp://feed.example.com/orders", "is not an absolute http(s) URL")]
    [InlineData("url: https://f.example.com/o?per_page=5\npage_size: 10", "the url already sets 'per_page'")]
    [InlineData("url: https://f.example.com/o\npage_size_parameter: limit", "only used with page_size")]
    [InlineData("url: https://f.example.com/o\nheaders: { \"Bad Name\": x }", "not an HTTP header name")]
    [InlineData("url: https://f.example.com/o\npath: x.jsonl", "unknown key")]
    public void Mistakes_are_reported_at_their_key(string yaml, string message)
    {
        var e = Assert.Throws<ConfigurationException>(() => Yaml.Parse("type: http-jsonl\n" + yaml));

        Assert.Contains(e.Problems, p => p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_header_value_from_the_environment_is_never_quoted_in_a_problem()
    {
        var e = Assert.Throws<ConfigurationException>(() => Yaml.Parse(
            "type: http-jsonl\nurl: https://f.example.com/o\nheaders: { X-Api-Key: \"${K}\" }",
            new Dictionary<string, string> { ["K"] = "abc\ndef-secret" }));

        var problem = Assert.Single(e.Problems);
        Assert.Contains("line break", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("def-secret", problem.ToString(), StringComparison.Ordinal);
    }
}
