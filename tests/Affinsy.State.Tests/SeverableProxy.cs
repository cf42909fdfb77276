using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Affinsy.State.Tests;

/// <summary>
/// A loopback TCP forwarder to the database. <see cref="Sever"/> cuts every connection and refuses new ones at once,
/// which is what the rest of a cluster sees when a worker's machine dies: no goodbye, no clean-up, only silence.
/// </summary>
internal sealed class SeverableProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _severed = new();
    private readonly ConcurrentBag<TcpClient> _connections = [];

    public SeverableProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Sever()
    {
        _severed.Cancel();
        _listener.Stop();
        foreach (var connection in _connections)
        {
            connection.Client.LingerState = new LingerOption(true, 0);
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        if (!_severed.IsCancellationRequested)
        {
            Sever();
        }

        _severed.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_severed.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_severed.Token);
                var upstream = new TcpClient();
                _connections.Add(client);
                _connections.Add(upstream);
                await upstream.ConnectAsync(_targetHost, _targetPort, _severed.Token);
                _ = PumpAsync(client.GetStream(), upstream.GetStream());
                _ = PumpAsync(upstream.GetStream(), client.GetStream());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Severed.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _severed.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // One side closed or the proxy was severed: the other side sees the connection drop.
        }
    }
}
