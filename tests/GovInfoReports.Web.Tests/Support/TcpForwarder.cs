using System.Net;
using System.Net.Sockets;

namespace GovInfoReports.Web.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 that pipes every connection to a target (the test PostgreSQL). <see cref="Stop"/>
/// is a realistic outage: new connections are refused and open ones are reset mid-stream, so pooled connections
/// break too; <see cref="Start"/> listens again on the same port.
/// </summary>
public sealed class TcpForwarder(string targetHost, int targetPort) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;

    /// <summary>The local port (chosen on the first start, kept afterwards).</summary>
    public int Port { get; private set; }

    public void Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        lock (_gate) _listener = listener;
        _ = AcceptAsync(listener);
    }

    public void Stop()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            foreach (var client in _open) Reset(client);
            _open.Clear();
        }
    }

    public void Dispose() => Stop();

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_gate)
        {
            if (_listener is null) { Reset(client); return; }
            _open.Add(client);
            _open.Add(server);
        }
        try
        {
            await server.ConnectAsync(targetHost, targetPort);
            var a = client.GetStream();
            var b = server.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Cut by Stop, or the other side closed.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>Closes with RST (linger 0), as a crashed server or a dropped network path looks to the client.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        client.Dispose();
    }
}
