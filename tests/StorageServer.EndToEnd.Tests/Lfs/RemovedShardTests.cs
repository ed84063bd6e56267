using System.Security.Cryptography;
using System.Text;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Lfs;

/// <summary>
/// A shard directory of the object store removed by hand under the running server (an operator
/// cleaning up, part of the store restored from a backup) does not fail later pushes into it until a
/// restart: the next upload into that shard makes its directories again, durably.
/// </summary>
public sealed class RemovedShardTests : IDisposable
{
    private const string Repo = "team/data";

    private readonly GitSandbox _git = new();

    [Fact]
    public async Task A_git_lfs_push_into_a_shard_removed_under_the_running_server_stores_the_object_and_it_clones()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync(Repo);
        _git.StoreCredentials(server.BaseUrl, await server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" }), "alice");
        var work = _git.PathOf("work");
        _git.Run(_git.Root, "clone", $"{server.BaseUrl}/{Repo}.git", work);
        _git.Run(work, "lfs", "track", "*.bin");
        var first = Encoding.UTF8.GetBytes("the first object\n");
        await File.WriteAllBytesAsync(Path.Combine(work, "first.bin"), first);
        _git.Run(work, "add", ".gitattributes", "first.bin");
        _git.Run(work, "commit", "-m", "first");
        _git.Run(work, "push", "origin", "main");
        var firstOid = Convert.ToHexStringLower(SHA256.HashData(first));
        var topLevel = Path.Combine(server.DataDir, "objects", firstOid[..2]);
        Assert.True(Directory.Exists(Path.Combine(topLevel, firstOid[2..4])), "the first object's shard was not where this test looks");

        Directory.Delete(topLevel, recursive: true);
        var (second, secondOid) = BytesInShard(firstOid[..4]);
        await File.WriteAllBytesAsync(Path.Combine(work, "second.bin"), second);
        _git.Run(work, "rm", "-q", "first.bin");
        _git.Run(work, "add", "second.bin");
        _git.Run(work, "commit", "-m", "second, in the first one's shard");
        _git.Run(work, "push", "origin", "main");

        Assert.True(File.Exists(Path.Combine(topLevel, secondOid[2..4], secondOid)), "the pushed object is not in its shard");
        var clone = _git.PathOf("clone");
        _git.Run(_git.Root, "clone", $"{server.BaseUrl}/{Repo}.git", clone);
        Assert.Equal(second, await File.ReadAllBytesAsync(Path.Combine(clone, "second.bin")));
    }

    public void Dispose() => _git.Dispose();

    /// <summary>Small bytes whose SHA-256 starts with <paramref name="prefix"/> (four hex digits: ~65k tries).</summary>
    private static (byte[] Bytes, string Oid) BytesInShard(string prefix)
    {
        for (var i = 0; ; i++)
        {
            var bytes = Encoding.UTF8.GetBytes($"an object in shard {prefix}, try {i}\n");
            var oid = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (oid.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (bytes, oid);
            }
        }
    }
}
