using Affinsy.Core.Configuration;

namespace Affinsy.Core.Tests.Configuration;

public sealed class EnvironmentSubstitutionTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["HOST"] = "example.com",
        ["EMPTY"] = string.Empty,
    };

    private static string? Lookup(string name) => Variables.GetValueOrDefault(name);

    [Theory]
    [InlineData("https://${HOST}/api", "https://example.com/api")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${HOST:-fallback}", "example.com")]
    [InlineData("${MISSING:-}", "")]
    [InlineData("cost $$5", "cost $5")]
    [InlineData("$${HOST}", "${HOST}")]
    [InlineData("a $ alone", "a $ alone")]
    [InlineData("${unclosed", "${unclosed")]
    public void Variables_defaults_and_escapes_are_substituted(string text, string expected)
    {
        Assert.Equal(expected, EnvironmentSubstitution.Apply(text, Lookup).Value);
    }

    [Fact]
    public void An_unset_variable_without_default_is_reported_by_name()
    {
        var result = EnvironmentSubstitution.Apply("${NOPE}/${HOST}", Lookup);

        Assert.Equal(["NOPE"], result.MissingVariables);
    }

    [Fact]
    public void A_value_taken_from_the_environment_is_marked_but_a_default_is_not()
    {
        Assert.True(EnvironmentSubstitution.Apply("${HOST}", Lookup).FromEnvironment);
        Assert.False(EnvironmentSubstitution.Apply("${MISSING:-x}", Lookup).FromEnvironment);
    }
}
