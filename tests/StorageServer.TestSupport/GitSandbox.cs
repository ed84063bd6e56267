using System.Diagnostics;
using System.Text;

namespace StorageServer.TestSupport;

/// <summary>
/// A private HOME for the real <c>git</c> (and <c>git lfs</c> / <c>git storage</c>): its own global
/// config, system config ignored (Debian's git-lfs package sets filter.lfs.* there), credentials in
/// a store file, no prompts, nothing shared with the machine's user. Everything lives under one
/// temporary directory removed on dispose. Each test gets its own.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    private readonly Dictionary<string, string> _environment;

    /// <param name="client">Which large-file client this user has, and where it is installed.</param>
    public GitSandbox(LfsClient client = LfsClient.GitLfs)
    {
        Root = Directory.CreateTempSubdirectory("git-sandbox-").FullName;
        Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        Client = client;
        _environment = new Dictionary<string, string>
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
            ["GIT_CONFIG_GLOBAL"] = Path.Combine(Home, ".gitconfig"),
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_ASKPASS"] = "",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        if (client != LfsClient.GitLfs)
        {
            _environment["PATH"] = GitStorageBinary.Directory + ":" + System.Environment.GetEnvironmentVariable("PATH");
        }
        GlobalConfig("user.name", "Test User");
        GlobalConfig("user.email", "test@example.com");
        GlobalConfig("init.defaultBranch", "main");
        GlobalConfig("advice.detachedHead", "false");
        GlobalConfig("credential.helper", $"store --file={CredentialsFile}");
        switch (client)
        {
            case LfsClient.GitLfs:
                Run(Root, "lfs", "install", "--skip-repo");
                break;
            case LfsClient.GitStorage:
                Run(Root, "storage", "install", "--global");
                break;
        }
    }

    public LfsClient Client { get; }

    public string Root { get; }

    public string Home { get; }

    /// <summary>What git runs with on top of this process's environment, for tools that start git themselves.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    private string CredentialsFile => Path.Combine(Home, "git-credentials");

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public void GlobalConfig(string key, string value) => Run(Root, "config", "--global", key, value);

    /// <summary>Stores a token for the server, as `git credential approve` would after a login.</summary>
    public void StoreCredentials(string baseUrl, string token, string user = "user")
    {
        var uri = new Uri(baseUrl);
        File.AppendAllText(CredentialsFile, $"{uri.Scheme}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(token)}@{uri.Authority}\n");
    }

    /// <summary>Makes git's credential machinery answer with these for any server (a helper in the global config).</summary>
    public void UseCredentials(string user, string password) =>
        GlobalConfig("credential.helper", $"!f() {{ test \"$1\" = get && echo username={user} && echo password={password}; }}; f");

    /// <summary>A fresh bare repository to push to and clone from, over file://.</summary>
    public string CreateBareRemote(string name = "remote.git")
    {
        var path = PathOf(name);
        Run(Root, "init", "-q", "--bare", path);
        return path;
    }

    /// <summary>A new work repository with git-storage installed locally and lfs.url set.</summary>
    public string CreateRepo(string name, string remote, Uri lfsUrl)
    {
        var path = PathOf(name);
        Run(Root, "init", "-q", path);
        Run(path, "remote", "add", "origin", "file://" + remote);
        Run(path, "config", "lfs.url", lfsUrl.AbsoluteUri);
        Run(path, "storage", "install");
        return path;
    }

    /// <summary>Runs git in <paramref name="workingDirectory"/>; throws with its output on failure.</summary>
    public GitRun Run(string workingDirectory, params string[] arguments) => TryRun(workingDirectory, arguments).EnsureSuccess();

    public GitRun TryRun(string workingDirectory, params string[] arguments) => TryRun(workingDirectory, null, arguments);

    public GitRun TryRun(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Execute("git", arguments, workingDirectory, environment, stdin: null);

    /// <summary>Runs git with <paramref name="stdin"/> as its standard input (UTF-8), as a hook is run.</summary>
    public GitRun TryRunWithInput(string workingDirectory, string stdin, params string[] arguments) =>
        Execute("git", arguments, workingDirectory, null, stdin);

    /// <summary>
    /// Runs git inside a real pseudo-terminal (util-linux <c>script</c>), as a person at a shell
    /// would: stdout and stderr are a terminal. What the terminal showed comes back as Output.
    /// </summary>
    public GitRun TryRunInTerminal(string workingDirectory, params string[] arguments)
    {
        var command = "git " + string.Join(' ', arguments.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Execute("script", ["--quiet", "--return", "--command", command, "/dev/null"], workingDirectory, null, stdin: null);
    }

    private GitRun Execute(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? stdin)
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
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        start.Environment.Remove("SSH_ASKPASS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 10 minutes");
        }
        return new GitRun(string.Join(' ', arguments), process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
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

/// <summary>How one git command ended.</summary>
public sealed record GitRun(string Command, int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this run; throws with git's output when it failed.</summary>
    public GitRun EnsureSuccess() => Succeeded ? this
        : throw new InvalidOperationException($"git {Command} exited {ExitCode}\nstdout: {Output}\nstderr: {Error}");
}

public enum LfsClient
{
    /// <summary>The stock git-lfs 3.3 client, installed in the user's global config.</summary>
    GitLfs,

    /// <summary>Our <c>git storage</c> client on PATH and installed globally, with git-lfs absent from the user's config.</summary>
    GitStorage,

    /// <summary>Our <c>git storage</c> client on PATH, installed by each repository (<see cref="GitSandbox.CreateRepo"/>), nothing in the global config.</summary>
    GitStoragePerRepository,
}
