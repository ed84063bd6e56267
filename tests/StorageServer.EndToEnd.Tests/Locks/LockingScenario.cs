using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Locks;

/// <summary>
/// A real server with repository <c>team/data</c> and three users, each with their own git HOME
/// and stored token: alice and bob may write, carol administers the repository. Everything goes
/// through the one URL the server gives the repository: git over smart HTTP, LFS objects and
/// locks through the LFS API the client derives from it. The repository starts with one commit
/// by alice: <c>*.psd</c> tracked as lockable, <c>file.psd</c> (an LFS object) and <c>README.txt</c>.
/// </summary>
internal sealed class LockingScenario : IAsyncDisposable
{
    private LockingScenario(ServerProcess server)
    {
        Server = server;
    }

    public ServerProcess Server { get; }

    public string LfsUrl => $"{RemoteUrl}/info/lfs";

    public string RemoteUrl => $"{Server.BaseUrl}/team/data.git";

    /// <summary>The bare repository on the server, to read refs without going through a client.</summary>
    public string RemotePath => Path.Combine(Server.DataDir, "repos", "team", "data.git");

    public GitSandbox Alice { get; } = new();

    public GitSandbox Bob { get; } = new();

    public GitSandbox Carol { get; } = new();

    /// <summary>Alice's working copy, from which the remote was seeded.</summary>
    public string AliceRepo => Alice.PathOf("data");

    public static async Task<LockingScenario> StartAsync()
    {
        var scenario = new LockingScenario(await ServerProcess.StartAsync());
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

        Alice.Run(Alice.Root, "clone", RemoteUrl, AliceRepo);
        Alice.Run(AliceRepo, "lfs", "track", "--lockable", "*.psd");
        File.WriteAllText(Path.Combine(AliceRepo, "file.psd"), "layered artwork v1\n");
        File.WriteAllText(Path.Combine(AliceRepo, "README.txt"), "art assets\n");
        Alice.Run(AliceRepo, "add", ".gitattributes", "file.psd", "README.txt");
        Alice.Run(AliceRepo, "commit", "-m", "Add artwork");
        Alice.Run(AliceRepo, "push", "origin", "main");
    }

    /// <summary>Clones the repository into <paramref name="user"/>'s sandbox, LFS content included.</summary>
    public string Clone(GitSandbox user, string directory = "data")
    {
        var clone = user.TryRun(user.Root, "clone", RemoteUrl, directory);
        Assert.True(clone.ExitCode == 0, $"clone failed: {clone.Error}");
        var path = user.PathOf(directory);
        Assert.Equal("layered artwork v1\n", File.ReadAllText(Path.Combine(path, "file.psd")));
        return path;
    }

    /// <summary>Runs git in <paramref name="repo"/>, returning its exit code and output.</summary>
    public static GitRun RunGit(GitSandbox user, string repo, params string[] arguments) => user.TryRun(repo, arguments);

    public static bool IsWritable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Alice.Dispose();
        Bob.Dispose();
        Carol.Dispose();
    }
}
