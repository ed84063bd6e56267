using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// The real server and two users of it: one with the stock git-lfs 3.3, one with git storage
/// (git-lfs absent from their config), each with a write token stored for the server. Tests do the
/// same thing with both and compare what they got.
/// </summary>
public sealed class SideBySide : IAsyncDisposable
{
    private SideBySide(ServerProcess server) => Server = server;

    public ServerProcess Server { get; }

    public GitSandbox Lfs { get; } = new(LfsClient.GitLfs);

    public GitSandbox Storage { get; } = new(LfsClient.GitStorage);

    public string Token { get; private set; } = string.Empty;

    public static async Task<SideBySide> StartAsync()
    {
        var scene = new SideBySide(await ServerProcess.StartAsync());
        scene.Token = await scene.Server.CreateTokenAsync("alice", new Dictionary<string, string> { ["*"] = "write" });
        scene.Lfs.StoreCredentials(scene.Server.BaseUrl, scene.Token, "alice");
        scene.Storage.StoreCredentials(scene.Server.BaseUrl, scene.Token, "alice");
        return scene;
    }

    public string Url(string repo) => $"{Server.BaseUrl}/{repo}.git";

    /// <summary>Creates <paramref name="repo"/> on the server and pushes these files (tracked as *.bin) from a git storage clone; returns the clone.</summary>
    public async Task<string> SeedAsync(string repo, IReadOnlyDictionary<string, long> files, int seed = 1)
    {
        await Server.CreateRepoAsync(repo);
        var work = Storage.PathOf("seed-" + repo.Replace('/', '-'));
        Storage.Run(Storage.Root, "clone", "-q", Url(repo), work);
        Storage.Run(work, "storage", "track", "*.bin");
        foreach (var (path, size) in files)
        {
            TestFiles.Write(Path.Combine(work, path), size, seed++);
        }
        Storage.Run(work, "add", "-A");
        Storage.Run(work, "commit", "-qm", "seed");
        Storage.Run(work, "push", "-q", "origin", "main");
        return work;
    }

    /// <summary>A clone without LFS data (GIT_LFS_SKIP_SMUDGE=1), as a CI job starts.</summary>
    public string CloneWithoutData(GitSandbox user, string repo, string directory)
    {
        var path = user.PathOf(directory);
        user.TryRun(user.Root, new Dictionary<string, string> { ["GIT_LFS_SKIP_SMUDGE"] = "1" }, "clone", "-q", Url(repo), path).EnsureSuccess();
        return path;
    }

    /// <summary>Oids in a repository's local cache (.git/lfs/objects).</summary>
    public static SortedSet<string> CachedObjects(string repo)
    {
        var objects = Path.Combine(repo, ".git", "lfs", "objects");
        return Directory.Exists(objects)
            ? new SortedSet<string>(Directory.GetFiles(objects, "*", SearchOption.AllDirectories).Select(f => Path.GetFileName(f)!), StringComparer.Ordinal)
            : new SortedSet<string>(StringComparer.Ordinal);
    }

    /// <summary>Work tree files under <paramref name="repo"/> that hold data, not a pointer.</summary>
    public static SortedSet<string> DataFiles(string repo, IEnumerable<string> paths) =>
        new(paths.Where(p => !TestFiles.IsPointer(Path.Combine(repo, p))), StringComparer.Ordinal);

    /// <summary>Copies a repository (work tree and .git) so two clients can act on identical state.</summary>
    public static string Copy(string source, string target)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(source, target, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = file.Replace(source, target, StringComparison.Ordinal);
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(file));
            File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(file));
        }
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Lfs.Dispose();
        Storage.Dispose();
    }
}
