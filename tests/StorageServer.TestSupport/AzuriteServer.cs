using System.Diagnostics;
using Azure.Storage.Blobs;

namespace StorageServer.TestSupport;

/// <summary>
/// A real azurite blob service (npm azurite@3.37.0) on a free loopback port over a temporary
/// directory, with one container; a test can stop it and start it again on the same port and
/// directory. scripts/test.sh installs it into <c>.tools/azurite</c>; <c>AZURITE_BLOB_JS</c> overrides the path.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string Container = "test-container";

    /// <summary>Azurite's well-known development account (public, in its documentation).</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _script;
    private Process? _process;

    private AzuriteServer(string script, string directory, int port)
    {
        _script = script;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The account's blob endpoint (path-style, as azurite serves it).</summary>
    public Uri ServiceUri => new($"http://127.0.0.1:{Port}/{AccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={ServiceUri};";

    public static async Task<AzuriteServer> StartAsync()
    {
        var server = new AzuriteServer(FindScript(), System.IO.Directory.CreateTempSubdirectory("azurite-").FullName, LoopbackPort.Free());
        try
        {
            await server.StartAgainAsync();
            await new BlobContainerClient(server.ConnectionString, Container).CreateIfNotExistsAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the test container, with the account key (it can sign SAS URLs).</summary>
    public BlobContainerClient ContainerClient() => new(ConnectionString, Container);

    /// <summary>The server's environment for this store, keys as in the configuration reference.</summary>
    public Dictionary<string, string> ServerEnvironment(string prefix) => new()
    {
        ["ObjectStore__Type"] = "AzureBlob",
        ["ObjectStore__AzureBlob__ConnectionString"] = ConnectionString,
        ["ObjectStore__AzureBlob__Container"] = Container,
        ["ObjectStore__AzureBlob__Prefix"] = prefix,
    };

    /// <summary>The same settings as in-process configuration (<c>:</c> between sections).</summary>
    public Dictionary<string, string?> ServerSettings(string prefix) =>
        ServerEnvironment(prefix).ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value);

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                _script, "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", Directory,
                "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        // Azurite loads a large script bundle before it listens: 14 s measured on 2 cores under a
        // load of 50 (several suites building and testing at once), where 20 s was not enough.
        await LoopbackPort.WaitUntilListeningAsync(Port, _process, "azurite", TimeSpan.FromSeconds(90));
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
        if (Environment.GetEnvironmentVariable("AZURITE_BLOB_JS") is { Length: > 0 } configured)
        {
            return configured;
        }
        var tools = Path.Combine(RepoRoot.Path, ".tools", "azurite");
        var script = Path.Combine(tools, "node_modules", "azurite", "dist", "src", "blob", "main.js");
        return File.Exists(script) ? script
            : throw new InvalidOperationException($"azurite is not installed at {script}. Run scripts/test.sh, or: npm install --prefix {tools} azurite@3.37.0");
    }
}
