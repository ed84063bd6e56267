using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Locks;

/// <summary>
/// A real server with repository <c>team/data</c> and three users, each with their own git HOME
/// and stored token: alice and bob may write, carol administers the repository. Git smart HTTP
/// is not part of this branch, so the git remote is a local bare repository (<c>file://</c>) and
/// <c>lfs.url</c> points git-lfs at the server, the way teams with a separate LFS server work.
/// The remote starts with one commit by alice: <c>*.psd</c> tracked as lockable, <c>file.psd</c>
/// (an LFS object) and <c>README.txt</c>. That push skips the pre-push hook, because there is no
/// batch API here to upload to; clones skip smudging for the same reason.
/// </summary>
internal sealed class LockingScenario : IAsyncDisposable
{
    private readonly string _remoteRoot;

    private LockingScenario(ServerProcess server, string remoteRoot)
    {
        Server = server;
        _remoteRoot = remoteRoot;
    }

    public ServerProcess Server { get; }

    public string LfsUrl => $"{Server.BaseUrl}/team/data.git/info/lfs";

    public string RemoteUrl => new Uri(RemotePath).AbsoluteUri;

    public string RemotePath => Path.Combine(_remoteRoot, "data.git");

    public GitSandbox Alice { get; } = new();

    public GitSandbox Bob { get; } = new();

    public GitSandbox Carol { get; } = new();

    /// <summary>Alice's working copy, from which the remote was seeded.</summary>
    public string AliceRepo => Alice.PathOf("data");

    public static async Task<LockingScenario> StartAsync()
    {
        var scenario = new LockingScenario(await ServerProcess.StartAsync(), Directory.CreateTempSubdirectory("lock-remote-").FullName);
        await scenario.SetUpAsync();
        return scenario;
    }

    private async Task SetUpAsync()
    {
        await Server.CreateRepoAsync("team/data");
        foreach (var (sandbox, user, level) in new[] { (Alice, "alice", "write"), (Bob, "bob", "write"), (Carol, "carol", "admin") })
        {
            sandbox.StoreCredentials(Server.BaseUrl, await Server.CreateTokenAsync(user, new Dictionary<string, string> { ["team/data"] = level }));
        }

        Alice.Run(Alice.Root, "init", "--bare", "--initial-branch=main", RemotePath);
        Directory.CreateDirectory(AliceRepo);
        Alice.Run(AliceRepo, "init", "--initial-branch=main");
        Alice.Run(AliceRepo, "remote", "add", "origin", RemoteUrl);
        Alice.Run(AliceRepo, "config", "lfs.url", LfsUrl);
        Alice.Run(AliceRepo, "lfs", "track", "--lockable", "*.psd");
        File.WriteAllText(Path.Combine(AliceRepo, "file.psd"), "layered artwork v1\n");
        File.WriteAllText(Path.Combine(AliceRepo, "README.txt"), "art assets\n");
        Alice.Run(AliceRepo, "add", ".gitattributes", "file.psd", "README.txt");
        Alice.Run(AliceRepo, "commit", "-m", "Add artwork");
        Alice.Run(AliceRepo, "push", "--no-verify", "origin", "main");
    }

    /// <summary>Clones the remote into <paramref name="user"/>'s sandbox with git-lfs pointed at the server.</summary>
    public string Clone(GitSandbox user, string directory = "data")
    {
        var skipSmudge = new Dictionary<string, string> { ["GIT_LFS_SKIP_SMUDGE"] = "1" };
        var clone = user.TryRun(user.Root, skipSmudge, "-c", $"lfs.url={LfsUrl}", "clone", RemoteUrl, directory);
        Assert.True(clone.ExitCode == 0, $"clone failed: {clone.Error}");
        var path = user.PathOf(directory);
        user.Run(path, "config", "lfs.url", LfsUrl);
        return path;
    }

    /// <summary>Runs git in <paramref name="repo"/> without smudging LFS content (there is no batch API to download from).</summary>
    public static GitRun RunGit(GitSandbox user, string repo, params string[] arguments) =>
        user.TryRun(repo, new Dictionary<string, string> { ["GIT_LFS_SKIP_SMUDGE"] = "1" }, arguments);

    public static bool IsWritable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Alice.Dispose();
        Bob.Dispose();
        Carol.Dispose();
        try
        {
            Directory.Delete(_remoteRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
