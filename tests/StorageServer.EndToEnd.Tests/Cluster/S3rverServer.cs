using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StorageServer.EndToEnd.Tests.Cluster;

/// <summary>
/// A real s3rver (npm s3rver@3.7.1, installed by scripts/test.sh into <c>.tools/s3rver</c>) that can
/// be stopped and started again on the same port and directory.
/// </summary>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string Bucket = "cluster-bucket";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _script;
    private Process? _process;

    private S3rverServer(string script, string directory, int port)
    {
        _script = script;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The server's environment for this store, keys as in the configuration reference.</summary>
    public Dictionary<string, string> ServerEnvironment(string prefix) => new()
    {
        ["ObjectStore__Type"] = "S3",
        ["ObjectStore__S3__ServiceUrl"] = ServiceUrl,
        ["ObjectStore__S3__Bucket"] = Bucket,
        ["ObjectStore__S3__AccessKey"] = AccessKey,
        ["ObjectStore__S3__SecretKey"] = SecretKey,
        ["ObjectStore__S3__Prefix"] = prefix,
    };

    public static async Task<S3rverServer> StartAsync()
    {
        var script = Environment.GetEnvironmentVariable("S3RVER_JS") is { Length: > 0 } configured ? configured
            : Path.Combine(Support.RepoRoot.Path, ".tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed at {script}: run scripts/test.sh, or npm install --prefix .tools/s3rver s3rver@3.7.1");
        }
        var server = new S3rverServer(script, System.IO.Directory.CreateTempSubdirectory("cluster-s3rver-").FullName, FreePort());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { _script, "--directory", Directory, "--port", Port.ToString(), "--address", "127.0.0.1", "--silent", "--configure-bucket", Bucket },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
