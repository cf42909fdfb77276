using System.Net.Sockets;

namespace Affinsy.Testing;

/// <summary>Whether a Docker engine is there for Testcontainers: the fixtures fall back to local servers when not.</summary>
public static class DockerEngine
{
    /// <summary>True when the engine (<c>DOCKER_HOST</c>, else the default socket) accepts a connection within half a second.</summary>
    public static async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            if (host is { Length: > 0 } && host.StartsWith("tcp://", StringComparison.Ordinal))
            {
                var uri = new Uri(host);
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await tcp.ConnectAsync(uri.Host, uri.Port, timeout.Token);
                return true;
            }

            var path = host is { Length: > 0 } && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
            if (!File.Exists(path))
            {
                return false;
            }

            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or UriFormatException)
        {
            return false;
        }
    }
}
