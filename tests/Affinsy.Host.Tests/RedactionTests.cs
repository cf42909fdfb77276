using Affinsy.Host.Operations;
using Xunit;

namespace Affinsy.Host.Tests;

public sealed class RedactionTests
{
    [Fact]
    public void Every_occurrence_of_every_secret_is_masked()
    {
        var text = Redaction.Redact("key afn_live_123 then shpat_abc, again afn_live_123.", ["afn_live_123", "shpat_abc"]);

        Assert.Equal("key *** then ***, again ***.", text);
    }

    [Fact]
    public void A_secret_containing_another_is_masked_whole()
    {
        Assert.Equal("token=***;", Redaction.Redact("token=abc123xyz;", ["abc", "abc123xyz"]));
    }

    [Fact]
    public void A_url_encoded_secret_is_masked_too()
    {
        var secret = "p@ss w/rd";

        var text = Redaction.Redact($"GET /orders?key={Uri.EscapeDataString(secret)}&page=2", [secret]);

        Assert.Equal("GET /orders?key=***&page=2", text);
    }

    [Fact]
    public void Text_without_secrets_comes_back_as_the_same_instance()
    {
        var text = "nothing to hide here";

        Assert.Same(text, Redaction.Redact(text, ["afn_live_123", ""]));
    }

    [Fact]
    public void A_connection_string_yields_its_password_and_itself_as_secrets()
    {
        var connection = "Host=db;Username=affinsy;Password=s3cr3t-pw;Database=affinsy";

        var secrets = Redaction.SecretsOfConnectionString(connection);

        Assert.Equal([connection, "s3cr3t-pw"], secrets);
        Assert.Equal("Npgsql: password authentication failed (***) for user affinsy",
            Redaction.Redact("Npgsql: password authentication failed (s3cr3t-pw) for user affinsy", secrets));
    }

    [Fact]
    public void A_text_that_is_not_a_connection_string_is_still_a_secret_as_a_whole()
    {
        Assert.Equal(["postgres://u:p@db/x"], Redaction.SecretsOfConnectionString("postgres://u:p@db/x"));
        Assert.Empty(Redaction.SecretsOfConnectionString(" "));
    }
}
