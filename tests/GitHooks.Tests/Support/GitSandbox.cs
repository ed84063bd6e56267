using GitHooks.Git;

namespace GitHooks.Tests.Support;

/// <summary>
/// An isolated place to run the real git: its own HOME and global config file, no system config
/// (Debian's git-lfs package sets filter.lfs.* there), the git-storage wrapper first on PATH,
/// no prompts. Everything lives under one temp directory removed on dispose.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    public GitSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "gs-test-" + Guid.NewGuid().ToString("N")[..12]);
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Home);
        Environment = new Dictionary<string, string>
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
            ["GIT_CONFIG_GLOBAL"] = Path.Combine(Home, ".gitconfig"),
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_ASKPASS"] = "/bin/false",
            ["PATH"] = ClientBinary.Directory + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        GlobalConfig("user.name", "Test User");
        GlobalConfig("user.email", "test@example.com");
        GlobalConfig("init.defaultBranch", "main");
        GlobalConfig("advice.detachedHead", "false");
        // Keep failure tests quick: few, short retries.
        GlobalConfig("lfs.transfer.maxretries", "2");
        GlobalConfig("lfs.transfer.maxretrydelay", "1");
    }

    public string Root { get; }

    public string Home { get; }

    public Dictionary<string, string> Environment { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public void GlobalConfig(string key, string value) => Git(Root, "config", "--global", key, value).EnsureSuccess();

    /// <summary>Makes git's credential machinery answer with these (a helper in the global config).</summary>
    public void UseCredentials(string user, string password) =>
        GlobalConfig("credential.helper", $"!f() {{ test \"$1\" = get && echo username={user} && echo password={password}; }}; f");

    public GitResult Git(string directory, params string[] args) => RunAsync(directory, args, null).GetAwaiter().GetResult();

    public async Task<GitResult> RunAsync(string directory, IEnumerable<string> args, string? stdin)
    {
        var runner = new GitRunner(directory, Environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await runner.RunAsync(args, stdin, timeout.Token);
    }

    /// <summary>A fresh bare repository to push to and clone from, over file://.</summary>
    public string CreateBareRemote(string name = "remote.git")
    {
        var path = PathOf(name);
        Git(Root, "init", "-q", "--bare", path).EnsureSuccess();
        return path;
    }

    /// <summary>A new work repository with git-storage installed locally and lfs.url set.</summary>
    public string CreateRepo(string name, string remote, Uri lfsUrl)
    {
        var path = PathOf(name);
        Git(Root, "init", "-q", path).EnsureSuccess();
        Git(path, "remote", "add", "origin", "file://" + remote).EnsureSuccess();
        Git(path, "config", "lfs.url", lfsUrl.AbsoluteUri).EnsureSuccess();
        Git(path, "storage", "install").EnsureSuccess();
        return path;
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

public static class GitResultAssertions
{
    public static GitResult EnsureSuccess(this GitResult result)
    {
        if (!result.Succeeded)
        {
            throw new Xunit.Sdk.XunitException($"git failed ({result.ExitCode}):\n{result.StdOut}\n{result.StdErr}");
        }
        return result;
    }
}
