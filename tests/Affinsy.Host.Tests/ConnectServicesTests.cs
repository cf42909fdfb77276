using Affinsy.Core.Configuration;
using Affinsy.Host.Sync;
using Affinsy.Sink;
using Affinsy.Sink.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Affinsy.Host.Tests;

/// <summary>The composition root: what needs the opened runtime waits for it, and every pass shares the one runtime and sender.</summary>
public sealed class ConnectServicesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "affinsy-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pass_resolves_only_once_the_runtime_is_opened_and_shares_its_sender_and_state()
    {
        var config = ConnectorsConfigLoader.Parse(
            "affinsy: { base_url: \"http://127.0.0.1:9/api/v1\", api_key: \"${AFFINSY_API_KEY}\" }\npipelines: []\n", "connectors.yaml", _directory,
            new Core.Sources.SourceRegistry(), name => name == "AFFINSY_API_KEY" ? "afn_root_test" : null);
        await using var services = ConnectServices.Build(config, NullLoggerFactory.Instance, TimeProvider.System);

        var early = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<PipelinePass>());
        Assert.Contains("OpenRuntimeAsync", early.Message, StringComparison.Ordinal);

        var runtime = await services.OpenRuntimeAsync([], Ct);

        Assert.Same(runtime, services.GetRequiredService<ConnectRuntime>());
        Assert.Same(services.GetRequiredService<PipelinePass>(), services.GetRequiredService<PipelinePass>());
        Assert.Same(runtime.Sender, services.GetRequiredService<SenderRegistry>().For(SinkOptions.From(config.Affinsy, runtime.Endpoint.ApiBase, runtime.Endpoint.ApiKey)));
        Assert.Null(runtime.Webhooks); // no pipeline wants reports
        Assert.True(File.Exists(Path.Combine(_directory, StateSettings.DefaultPath)), "the state backend was opened where state.path says");
        await Assert.ThrowsAsync<InvalidOperationException>(() => services.OpenRuntimeAsync([], Ct));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
