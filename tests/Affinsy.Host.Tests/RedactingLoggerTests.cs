using Affinsy.Host.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Affinsy.Host.Tests;

public sealed class RedactingLoggerTests
{
    private const string ApiKey = "afn_live_9f8e7d6c5b4a";
    private const string Password = "pg-Pa55word!";

    private readonly RecordingLoggerProvider recording = new();

    [Fact]
    public void A_secret_passed_as_a_structured_value_never_reaches_the_output()
    {
        using var factory = Factory();

        factory.CreateLogger("sync").LogInformation("Calling Affinsy with key {ApiKey} for {Pipeline}", ApiKey, "shop");

        Assert.DoesNotContain(ApiKey, recording.Output, StringComparison.Ordinal);
        Assert.Contains("message: Calling Affinsy with key *** for shop", recording.Output, StringComparison.Ordinal);
        Assert.Contains("state Pipeline: shop", recording.Output, StringComparison.Ordinal);
        Assert.Contains("state ApiKey: ***", recording.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_interpolated_into_the_template_never_reaches_the_output()
    {
        using var factory = Factory();
#pragma warning disable CA2254 // the point of the test: a careless template
        factory.CreateLogger("sync").LogWarning($"Connecting as affinsy with password {Password}");
#pragma warning restore CA2254

        Assert.DoesNotContain(Password, recording.Output, StringComparison.Ordinal);
        Assert.Contains("message: Connecting as affinsy with password ***", recording.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_in_an_exception_message_or_its_inner_exception_never_reaches_the_output()
    {
        using var factory = Factory();
        var failure = Thrown(new InvalidOperationException(
            $"State store refused Password={Password}", new HttpRequestException($"401 for key {ApiKey}")));

        factory.CreateLogger("state").LogError(failure, "The sync of {Pipeline} failed", "shop");

        Assert.DoesNotContain(Password, recording.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, recording.Output, StringComparison.Ordinal);
        Assert.Contains("exception message: State store refused Password=***", recording.Output, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException", recording.Output, StringComparison.Ordinal);
        Assert.Contains("401 for key ***", recording.Output, StringComparison.Ordinal);
        Assert.Contains(nameof(Thrown), recording.Output, StringComparison.Ordinal); // the stack is kept
    }

    [Fact]
    public void A_secret_in_a_scope_never_reaches_the_output()
    {
        using var factory = Factory();
        var logger = factory.CreateLogger("sync");

        using (logger.BeginScope("request with {Key}", ApiKey))
        using (logger.BeginScope($"raw {ApiKey}"))
        {
            logger.LogInformation("inside");
        }

        Assert.DoesNotContain(ApiKey, recording.Output, StringComparison.Ordinal);
        Assert.Contains("scope: request with ***", recording.Output, StringComparison.Ordinal);
        Assert.Contains("scope: raw ***", recording.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_without_secrets_reaches_the_output_unchanged()
    {
        using var factory = Factory();
        var failure = Thrown(new InvalidOperationException("plain failure"));

        factory.CreateLogger("sync").LogError(failure, "Pipeline {Pipeline} read {Orders} orders", "shop", 42);

        Assert.Contains("message: Pipeline shop read 42 orders", recording.Output, StringComparison.Ordinal);
        Assert.Contains("state Orders: 42", recording.Output, StringComparison.Ordinal);
        Assert.Contains("exception: System.InvalidOperationException: plain failure", recording.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Providers_registered_in_the_container_are_wrapped_by_AddSecretRedaction()
    {
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(recording).AddSecretRedaction([ApiKey]));
        await using var container = services.BuildServiceProvider();

        container.GetRequiredService<ILoggerFactory>().CreateLogger("sync").LogInformation("key {Key}", ApiKey);

        Assert.DoesNotContain(ApiKey, recording.Output, StringComparison.Ordinal);
        Assert.Contains("message: key ***", recording.Output, StringComparison.Ordinal);
    }

    private ILoggerFactory Factory() =>
        LoggerFactory.Create(b => b.AddProvider(new RedactingLoggerProvider(recording, [ApiKey, .. Redaction.SecretsOfConnectionString($"Host=db;Password={Password}")])));

    private static Exception Thrown(Exception e)
    {
        try
        {
            throw e;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
