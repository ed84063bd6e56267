using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using StorageServer.Storage.S3;

namespace StorageServer.Tests.Storage.S3;

/// <summary>
/// A real s3rver (npm s3rver@3.7.1) on a free loopback port over a temporary directory, with one
/// bucket. scripts/test.sh installs it into <c>.tools/s3rver</c>; <c>S3RVER_JS</c> overrides the path.
/// </summary>
public sealed class S3rverProcess : IAsyncDisposable
{
    public const string Bucket = "test-bucket";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;

    private S3rverProcess(Process process, Uri serviceUrl, string directory)
    {
        _process = process;
        ServiceUrl = serviceUrl;
        Directory = directory;
    }

    public Uri ServiceUrl { get; }

    /// <summary>s3rver's data directory: its bucket and its multipart upload folders live here.</summary>
    public string Directory { get; }

    public static async Task<S3rverProcess> StartAsync()
    {
        var script = FindScript();
        var directory = System.IO.Directory.CreateTempSubdirectory("s3rver-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--directory", directory, "--port", port.ToString(), "--address", "127.0.0.1", "--silent", "--configure-bucket", Bucket },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var server = new S3rverProcess(process, new Uri($"http://127.0.0.1:{port}"), directory);
        await server.WaitUntilListeningAsync(port);
        return server;
    }

    public S3StoreOptions Options(string prefix, int partSize = S3StoreOptions.MinPartSize) => new()
    {
        ServiceUrl = ServiceUrl,
        Bucket = Bucket,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Prefix = prefix,
        PartSize = partSize,
    };

    public AmazonS3Client CreateClient() => S3ClientFactory.Create(Options(string.Empty));

    public Dictionary<string, string?> ServerSettings(string prefix) => new()
    {
        ["ObjectStore:Type"] = "S3",
        ["ObjectStore:S3:ServiceUrl"] = ServiceUrl.ToString(),
        ["ObjectStore:S3:Bucket"] = Bucket,
        ["ObjectStore:S3:AccessKey"] = AccessKey,
        ["ObjectStore:S3:SecretKey"] = SecretKey,
        ["ObjectStore:S3:Prefix"] = prefix,
    };

    /// <summary>
    /// Multipart uploads s3rver holds under <paramref name="keyPrefix"/>, as (key, upload id). It cannot
    /// list them through the API (ListMultipartUploads is NotImplemented), so this reads its upload folders.
    /// </summary>
    public IReadOnlyList<(string Key, string UploadId)> PendingUploads(string keyPrefix)
    {
        var uploads = Path.Combine(Directory, Bucket, "._S3rver_uploads");
        return !System.IO.Directory.Exists(uploads) ? []
            : System.IO.Directory.EnumerateDirectories(uploads)
                .Where(dir => File.Exists(Path.Combine(dir, "key")))
                .Select(dir => (Key: File.ReadAllText(Path.Combine(dir, "key")), UploadId: Path.GetFileName(dir)))
                .Where(upload => upload.Key.StartsWith(keyPrefix, StringComparison.Ordinal))
                .ToList();
    }

    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS temp cleaner
        }
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
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
        throw new TimeoutException($"s3rver did not listen on port {port} within 20 s");
    }

    private static string FindScript()
    {
        var fromEnv = Environment.GetEnvironmentVariable("S3RVER_JS");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
            if (File.Exists(Path.Combine(dir.FullName, "StorageServer.sln")))
            {
                throw new InvalidOperationException(
                    $"s3rver is not installed at {candidate}. Run scripts/test.sh, or: npm install --prefix {Path.Combine(dir.FullName, ".tools", "s3rver")} s3rver@3.7.1");
            }
        }
        throw new InvalidOperationException("s3rver not found: set S3RVER_JS or run scripts/test.sh");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One s3rver shared by the S3 store tests; each test class isolates itself under a random prefix.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public S3rverProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3rverProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
