using System.Net;
using System.Net.Sockets;

namespace Affinsy.Emulators.Kafka;

/// <summary>
/// A fixed loopback address for a mock cluster whose brokers listen on ports chosen at start (librdkafka has no
/// setting for them): each connection is piped to one broker. A client only bootstraps here: the metadata it reads
/// names the brokers' own addresses, which it then connects to directly, so the pipe carries a few requests.
/// </summary>
public sealed class BootstrapForwarder : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint broker;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    private BootstrapForwarder(TcpListener listener, IPEndPoint broker)
    {
        this.listener = listener;
        this.broker = broker;
        accepting = AcceptAsync();
    }

    /// <summary>Where clients bootstrap (<c>host:port</c>).</summary>
    public string Address => ((IPEndPoint)listener.LocalEndpoint).ToString();

    /// <summary>Listens on <paramref name="listen"/> and pipes to <paramref name="brokerAddress"/> (<c>host:port</c>).</summary>
    public static BootstrapForwarder Start(IPEndPoint listen, string brokerAddress)
    {
        ArgumentNullException.ThrowIfNull(brokerAddress);
        var colon = brokerAddress.LastIndexOf(':');
        var host = brokerAddress[..colon];
        var address = host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        var listener = new TcpListener(listen);
        listener.Start();
        return new BootstrapForwarder(listener, new IPEndPoint(address, int.Parse(brokerAddress[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(broker, stopping.Token).ConfigureAwait(false);
                var a = client.GetStream();
                var b = upstream.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, stopping.Token), b.CopyToAsync(a, stopping.Token)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // One side closed or we are stopping: both sockets close below.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await accepting.ConfigureAwait(false);
        stopping.Dispose();
    }
}
