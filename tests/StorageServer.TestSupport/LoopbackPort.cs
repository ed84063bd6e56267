using System.Net;
using System.Net.Sockets;

namespace StorageServer.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1 for the servers the tests start.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on right now (the OS picks it; it is released before returning).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
