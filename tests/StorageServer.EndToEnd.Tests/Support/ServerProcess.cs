using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// The server as users run it: a separate <c>dotnet StorageServer.dll</c> process on a loopback
/// port with its own data directory. It can be killed with SIGKILL and restarted on the same
/// data, which is how crash-safety is tested.
/// </summary>
public sealed class ServerProcess : IServerTarget
{
    public const string AdminToken = "e2e-admin-token-0123456789abcdef";

    private readonly Dictionary<string, string> _environment;
    private readonly IReadOnlyList<string>? _arguments;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private ServerProcess(string dataDir, int port, Dictionary<string, string> environment, IReadOnlyList<string>? arguments)
    {
        DataDir = dataDir;
        Port = port;
        _environment = environment;
        _arguments = arguments;
    }

    public string DataDir { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Everything the server wrote to stdout and stderr so far (one line per event; JSON when so configured).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public int? ProcessId => _process?.Id;

    /// <summary>What a start waits for: readiness by default; liveness for a node that is up but not ready (a full disk).</summary>
    public string StartedProbe { get; set; } = "/healthz";

    /// <param name="arguments">
    /// The command line after <c>dotnet</c>, built from the port and data directory; by default
    /// <c>StorageServer.dll --urls … --data-dir …</c>.
    /// </param>
    public static async Task<ServerProcess> StartAsync(
        IDictionary<string, string>? environment = null, string? dataDir = null, Func<int, string, IReadOnlyList<string>>? arguments = null)
    {
        var env = new Dictionary<string, string> { ["STORAGESERVER_ADMIN_TOKEN"] = AdminToken };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        var port = LoopbackPort.Free();
        var directory = dataDir ?? Directory.CreateTempSubdirectory("storageserver-e2e-").FullName;
        var server = new ServerProcess(directory, port, env, arguments?.Invoke(port, directory));
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments ?? [RepoRoot.ServerDll, "--urls", BaseUrl, "--data-dir", DataDir])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in _environment)
        {
            // An empty value removes the variable, e.g. to test the generated admin token.
            if (value.Length == 0)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await KillAsync(); // never leave a half-started server behind a failed test
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as in a power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: the graceful shutdown a service manager sends.</summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false })
        {
            _ = SendSignal(_process.Id, 15);
            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token);
        }
    }

    public async Task RestartAsync()
    {
        await KillAsync();
        await StartAsync();
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(10) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    public async Task CreateRepoAsync(string name, bool allowAnonymousRead = false)
    {
        using var admin = CreateClient(AdminToken);
        using var response = await admin.PostAsJsonAsync("/api/repos", new { name, allowAnonymousRead });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create repo: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<string> CreateTokenAsync(string user, IDictionary<string, string> scopes)
    {
        using var admin = CreateClient(AdminToken);
        using var response = await admin.PostAsJsonAsync("/api/tokens", new { user, scopes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Server exited with {_process.ExitCode} during startup:\n{Log}");
            }
            try
            {
                using var response = await client.GetAsync(BaseUrl + StartedProbe);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Server not healthy after {timeout}:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);
}
