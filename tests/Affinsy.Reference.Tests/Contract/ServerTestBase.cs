using Affinsy.Reference.Config;
using Microsoft.Extensions.Time.Testing;

using Xunit;

namespace Affinsy.Reference.Tests.Contract;

/// <summary>Starts a reference server on a free loopback port per test, optionally with a fake clock.</summary>
public abstract class ServerTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));

    internal async Task<ReferenceServer> StartAsync(ReferenceSettings? settings = null, string? dataDir = null, bool fakeClock = false)
    {
        var server = await ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Settings = settings ?? ReferenceSettings.LocalDefault(),
            DataDirectory = dataDir,
            Time = fakeClock ? Clock : TimeProvider.System,
            Logging = b => { },
        }, TestContext.Current.CancellationToken);
        _owned.Add(server);
        return server;
    }

    internal static ReferenceSettings Users(string yaml) => ReferenceSettingsLoader.Parse(yaml, "test");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
