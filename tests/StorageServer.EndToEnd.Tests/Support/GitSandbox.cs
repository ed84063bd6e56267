using System.Diagnostics;
using System.Text;

namespace StorageServer.EndToEnd.Tests.Support;

/// <summary>
/// A private HOME for real <c>git</c> and <c>git lfs</c>: its own global config (git-lfs filters
/// installed there, system config ignored), credentials in a store file, nothing shared with the
/// machine's user. Each test gets its own.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    /// <param name="client">Which large-file client this user has installed in their global config.</param>
    public GitSandbox(LfsClient client = LfsClient.GitLfs)
    {
        Root = Directory.CreateTempSubdirectory("git-sandbox-").FullName;
        Home = Directory.CreateDirectory(System.IO.Path.Combine(Root, "home")).FullName;
        Client = client;
        Run(Root, "config", "--global", "user.name", "E2E Tester");
        Run(Root, "config", "--global", "user.email", "e2e@example.com");
        Run(Root, "config", "--global", "init.defaultBranch", "main");
        Run(Root, "config", "--global", "credential.helper", $"store --file={CredentialsFile}");
        if (client == LfsClient.GitLfs)
        {
            Run(Root, "lfs", "install", "--skip-repo");
        }
        else
        {
            Run(Root, "storage", "install", "--global");
        }
    }

    public LfsClient Client { get; }

    public string Root { get; }

    public string Home { get; }

    private string CredentialsFile => System.IO.Path.Combine(Home, "git-credentials");

    /// <summary>Stores a token for the server, as `git credential approve` would after a login.</summary>
    public void StoreCredentials(string baseUrl, string token, string user = "user")
    {
        var uri = new Uri(baseUrl);
        File.AppendAllText(CredentialsFile, $"{uri.Scheme}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(token)}@{uri.Authority}\n");
    }

    public string PathOf(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Runs git in <paramref name="workingDirectory"/>; throws with its output on failure.</summary>
    public GitRun Run(string workingDirectory, params string[] arguments)
    {
        var result = TryRun(workingDirectory, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited {result.ExitCode}\nstdout: {result.Output}\nstderr: {result.Error}");
        }
        return result;
    }

    public GitRun TryRun(string workingDirectory, params string[] arguments) => TryRun(workingDirectory, null, arguments);

    public GitRun TryRun(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Execute("git", arguments, workingDirectory, environment);

    /// <summary>
    /// Runs git inside a real pseudo-terminal (util-linux <c>script</c>), as a person at a shell
    /// would: stdout and stderr are a terminal. What the terminal showed comes back as Output.
    /// </summary>
    public GitRun TryRunInTerminal(string workingDirectory, params string[] arguments)
    {
        var command = "git " + string.Join(' ', arguments.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Execute("script", ["--quiet", "--return", "--command", command, "/dev/null"], workingDirectory, null);
    }

    private GitRun Execute(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = Home;
        start.Environment["XDG_CONFIG_HOME"] = System.IO.Path.Combine(Home, ".config");
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "";
        if (Client == LfsClient.GitStorage)
        {
            start.Environment["PATH"] = GitStorageBinary.Directory + ":" + Environment.GetEnvironmentVariable("PATH");
        }
        start.Environment.Remove("SSH_ASKPASS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 10 minutes");
        }
        return new GitRun(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

public sealed record GitRun(int ExitCode, string Output, string Error);

public enum LfsClient
{
    /// <summary>The stock git-lfs 3.3 client.</summary>
    GitLfs,

    /// <summary>Our <c>git storage</c> client, with git-lfs absent from the user's config.</summary>
    GitStorage,
}
