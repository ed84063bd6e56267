using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Scenarios;

/// <summary>
/// One server and one pushed repository shared by the round-trip tests: pushing a 200 MiB file
/// once is enough to prove it, and the tests then clone, pull and fetch it in different ways.
/// The server is a single node here; <see cref="Cluster.ClusterGitLfsRoundTripFixture"/> runs the
/// same scenarios against a cluster.
/// </summary>
public class GitLfsRoundTripFixture : IAsyncLifetime
{
    protected virtual TargetKind Target => TargetKind.SingleNode;

    public const string Repo = "team/data";

    /// <summary>Path in the repository → size, covering the edge cases the issue names.</summary>
    public static readonly IReadOnlyDictionary<string, long> LfsFiles = new Dictionary<string, long>
    {
        ["empty.bin"] = 0,
        ["one.bin"] = 1,
        ["data/few-mib.bin"] = 3 * 1024 * 1024 + 17,
        ["data/with space.bin"] = 4096,
        ["data/naïve ✓ файл.bin"] = 65536,
        ["models/large.bin"] = 200L * 1024 * 1024,
    };

    public IServerTarget Server { get; private set; } = null!;

    public GitSandbox Writer { get; } = new();

    public string WriterToken { get; private set; } = null!;

    public string ReaderToken { get; private set; } = null!;

    public Dictionary<string, string> Hashes { get; } = new();

    public string RemoteUrl => $"{Server.BaseUrl}/{Repo}.git";

    public async Task InitializeAsync()
    {
        Server = await ServerTargets.StartAsync(Target);
        await Server.CreateRepoAsync(Repo);
        WriterToken = await Server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        ReaderToken = await Server.CreateTokenAsync("reader", new Dictionary<string, string> { [Repo] = "read" });
        Writer.StoreCredentials(Server.BaseUrl, WriterToken, "alice");

        var work = Writer.PathOf("work");
        Writer.Run(Writer.Root, "clone", RemoteUrl, work);
        Writer.Run(work, "lfs", "track", "*.bin");
        var seed = 1;
        foreach (var (path, size) in LfsFiles)
        {
            Hashes[path] = TestFiles.Sha256(TestFiles.Write(Path.Combine(work, path), size, seed++));
        }
        await File.WriteAllTextAsync(Path.Combine(work, "README.md"), "code next to data\n");
        Writer.Run(work, "add", "-A");
        Writer.Run(work, "commit", "-m", "datasets and a model");
        Writer.Run(work, "push", "origin", "main");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Writer.Dispose();
    }
}
