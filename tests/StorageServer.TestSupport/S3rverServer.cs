using System.Diagnostics;

namespace StorageServer.TestSupport;

/// <summary>
/// A real s3rver (npm s3rver@3.7.1) on a free loopback port over a temporary directory, with one
/// bucket; a test can stop it and start it again on the same port and directory. scripts/test.sh
/// installs it into <c>.tools/s3rver</c>; <c>S3RVER_JS</c> overrides the path.
/// </summary>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string Bucket = "test-bucket";
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

    /// <summary>s3rver's data directory: its bucket and its multipart upload folders live here.</summary>
    public string Directory { get; }

    public int Port { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public Uri ServiceUri => new(ServiceUrl);

    public static async Task<S3rverServer> StartAsync()
    {
        var server = new S3rverServer(FindScript(), System.IO.Directory.CreateTempSubdirectory("s3rver-").FullName, LoopbackPort.Free());
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

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

    /// <summary>The same settings as in-process configuration (<c>:</c> between sections).</summary>
    public Dictionary<string, string?> ServerSettings(string prefix) => new()
    {
        ["ObjectStore:Type"] = "S3",
        ["ObjectStore:S3:ServiceUrl"] = ServiceUri.ToString(),
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

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { _script, "--directory", Directory, "--port", Port.ToString(), "--address", "127.0.0.1", "--silent", "--configure-bucket", Bucket },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await LoopbackPort.WaitUntilListeningAsync(Port, _process, "s3rver");
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
            // left for the OS temp cleaner
        }
    }

    private static string FindScript()
    {
        if (Environment.GetEnvironmentVariable("S3RVER_JS") is { Length: > 0 } configured)
        {
            return configured;
        }
        var tools = Path.Combine(RepoRoot.Path, ".tools", "s3rver");
        var script = Path.Combine(tools, "node_modules", "s3rver", "bin", "s3rver.js");
        return File.Exists(script) ? script
            : throw new InvalidOperationException($"s3rver is not installed at {script}. Run scripts/test.sh, or: npm install --prefix {tools} s3rver@3.7.1");
    }
}
