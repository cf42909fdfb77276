using Microsoft.Extensions.Hosting;

namespace Affinsy.Emulators;

/// <summary>
/// The emulators' web hosts do not listen for Ctrl+C or SIGTERM themselves (the default console lifetime would, and
/// would swallow the signal): whoever started one, a test or the <c>emulate</c> command, decides when it stops.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
