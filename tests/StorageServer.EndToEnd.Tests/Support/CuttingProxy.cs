using System.Net;
using System.Net.Sockets;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// A TCP proxy on loopback in front of the server that drops one connection once it has carried
/// a given number of bytes in one direction: a network failure half way through a transfer,
/// placed by byte count rather than by time. Every other connection passes untouched.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _cutUpstreamAfter = long.MaxValue;
    private long _cutDownstreamAfter = long.MaxValue;

    public CuttingProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were cut so far.</summary>
    public int Cuts => _cuts;

    private int _cuts;

    /// <summary>The next connection to send this many bytes towards the server is dropped there (once).</summary>
    public void CutUpstreamOnceAfter(long bytes) => Interlocked.Exchange(ref _cutUpstreamAfter, bytes);

    /// <summary>The next connection to carry this many bytes back to the client is dropped there (once).</summary>
    public void CutDownstreamOnceAfter(long bytes) => Interlocked.Exchange(ref _cutDownstreamAfter, bytes);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), () => ref _cutUpstreamAfter, cut);
                var down = PumpAsync(server.GetStream(), client.GetStream(), () => ref _cutDownstreamAfter, cut);
                await Task.WhenAny(up, down);
                await cut.CancelAsync();
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side went away: the relay ends with it.
            }
            // RST rather than FIN, as a dropped link or a crashed middlebox looks to both ends.
            client.Client.LingerState = new LingerOption(true, 0);
            server.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private delegate ref long Limit();

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Limit limit, CancellationTokenSource cut)
    {
        var buffer = new byte[64 * 1024];
        long carried = 0;
        while (true)
        {
            var read = await from.ReadAsync(buffer, cut.Token);
            if (read == 0)
            {
                return;
            }
            var allowed = Interlocked.Read(ref limit());
            if (carried + read >= allowed && Interlocked.CompareExchange(ref limit(), long.MaxValue, allowed) == allowed)
            {
                await to.WriteAsync(buffer.AsMemory(0, (int)Math.Max(0, allowed - carried)), cut.Token);
                Interlocked.Increment(ref _cuts);
                await cut.CancelAsync();
                return;
            }
            await to.WriteAsync(buffer.AsMemory(0, read), cut.Token);
            carried += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
