using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StorageServer.TestSupport;

/// <summary>Ports on 127.0.0.1 for the servers the tests start.</summary>
public static class LoopbackPort
{
    // Below Linux's ephemeral range (32768-60999 by default): a port the OS hands out for "port 0" is
    // also what every outgoing connection of any process may take next, so a server started on it a
    // moment later can find it taken. Ports below the range are only ever taken by listeners.
    private const int FirstPort = 20000;
    private const int LastPort = 32000;

    /// <summary>A port nothing listens on right now (it is released before returning).</summary>
    public static int Free()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(FirstPort, LastPort);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 200)
            {
                // taken; try another
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="port"/> accepts connections (20 s unless <paramref name="timeout"/>
    /// says otherwise); fails at once with the server's stderr if <paramref name="server"/> (started
    /// with stderr redirected) exits first.
    /// </summary>
    public static async Task WaitUntilListeningAsync(int port, Process server, string name, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {server.ExitCode}: {await server.StandardError.ReadToEndAsync()}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"{name} did not listen on port {port} within {limit.TotalSeconds} s");
    }
}
