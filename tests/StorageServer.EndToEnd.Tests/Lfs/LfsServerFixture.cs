using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Lfs;

/// <summary>
/// One server process and one set of generated files for a whole test class: the 200 MiB file
/// is written once. Files cover the edge cases of the pointer format and of paths. A single node
/// here; <see cref="Cluster.ClusterLfsServerFixture"/> runs the same tests against a cluster.
/// </summary>
public class LfsServerFixture : IAsyncLifetime
{
    protected virtual TargetKind Target => TargetKind.SingleNode;

    public const string Repo = "team/data";

    public static readonly (string Path, long Size)[] Files =
    [
        ("empty.bin", 0),
        ("one.bin", 1),
        ("data/naïve file ✓.bin", 3 * 1024 * 1024 + 17),
        ("data/sub dir/medium.bin", 5 * 1024 * 1024),
        ("big/model.bin", 200L * 1024 * 1024 + 3),
    ];

    public IServerTarget Server { get; private set; } = null!;

    public string SourceDir { get; } = Directory.CreateTempSubdirectory("lfs-e2e-files-").FullName;

    public Dictionary<string, string> Hashes { get; } = new(StringComparer.Ordinal);

    public string WriteToken { get; private set; } = "";

    public string ReadToken { get; private set; } = "";

    public string LfsUrl(string repo = Repo) => $"{Server.BaseUrl}/{repo}.git/info/lfs";

    public async Task InitializeAsync()
    {
        Server = await ServerTargets.StartAsync(Target);
        await Server.CreateRepoAsync(Repo);
        await Server.CreateRepoAsync("team/readonly");
        WriteToken = await Server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write", ["team/readonly"] = "write" });
        ReadToken = await Server.CreateTokenAsync("bob", new Dictionary<string, string> { [Repo] = "read", ["team/readonly"] = "read" });
        var seed = 1;
        foreach (var (path, size) in Files)
        {
            var full = TestFiles.Write(Path.Combine(SourceDir, path), size, seed++);
            Hashes[path] = TestFiles.Sha256(full);
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(SourceDir, recursive: true);
    }
}
