using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StorageServer.TestSupport;

/// <summary>Ports on 127.0.0.1 for the servers the tests start.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on right now (the OS picks it; it is released before returning).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
