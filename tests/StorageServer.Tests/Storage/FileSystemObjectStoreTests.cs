using System.Security.Cryptography;
using StorageServer.Protocol;
using Oid = StorageServer.Protocol.Oid;
using StorageServer.Storage;

namespace StorageServer.Tests.Storage;

public sealed class FileSystemObjectStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fs-store-").FullName;
    private readonly FileSystemObjectStore _store;

    public FileSystemObjectStoreTests() => _store = new FileSystemObjectStore(_root, "node-a");

    private static (Oid Oid, byte[] Bytes) Blob(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (Oid.FromHash(SHA256.HashData(bytes)), bytes);
    }

    [Fact]
    public async Task Stores_verified_bytes_under_the_sharded_path()
    {
        var (oid, bytes) = Blob(3 * 1024 * 1024 + 7);
        var result = await _store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(PutStatus.Stored, result.Status);
        Assert.True(File.Exists(Path.Combine(_root, oid.ShardedPath(Path.DirectorySeparatorChar))));
        await using var read = await _store.OpenReadAsync(oid, 5, CancellationToken.None);
        var copy = new MemoryStream();
        await read!.CopyToAsync(copy);
        Assert.Equal(bytes.AsSpan(5).ToArray(), copy.ToArray());
    }

    [Fact]
    public async Task A_hash_mismatch_stores_nothing_and_leaves_no_temp_file()
    {
        var (oid, _) = Blob(1000, seed: 1);
        var (_, other) = Blob(1000, seed: 2);
        var result = await _store.PutAsync(oid, other.Length, new MemoryStream(other), CancellationToken.None);
        Assert.Equal(PutStatus.HashMismatch, result.Status);
        Assert.Null(await _store.GetInfoAsync(oid, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_body_shorter_or_longer_than_declared_is_a_size_mismatch(int delta)
    {
        var (oid, bytes) = Blob(5000);
        var result = await _store.PutAsync(oid, bytes.Length + delta, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(PutStatus.SizeMismatch, result.Status);
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Reading_stops_one_byte_past_the_declared_size()
    {
        var (oid, bytes) = Blob(4 * 1024 * 1024);
        var body = new MemoryStream(bytes);
        var result = await _store.PutAsync(oid, 10, body, CancellationToken.None);
        Assert.Equal(PutStatus.SizeMismatch, result.Status);
        Assert.Equal(11, result.BytesReceived);
    }

    [Fact]
    public async Task An_existing_object_still_needs_the_right_bytes()
    {
        var (oid, bytes) = Blob(2048);
        await _store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        var again = await _store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(PutStatus.AlreadyExists, again.Status);
        var (_, wrong) = Blob(2048, seed: 9);
        Assert.Equal(PutStatus.HashMismatch, (await _store.PutAsync(oid, wrong.Length, new MemoryStream(wrong), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_broken_connection_leaves_nothing_behind()
    {
        var (oid, bytes) = Blob(3 * 1024 * 1024);
        var failing = new FailingStream(bytes, failAfter: 1024 * 1024 + 10);
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync(oid, bytes.Length, failing, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Cleanup_removes_this_nodes_partial_uploads()
    {
        var leftover = Path.Combine(_root, ".tmp", "node-a", "partial");
        await File.WriteAllTextAsync(leftover, "half an object");
        Assert.Equal(1, await _store.DeleteAbandonedUploadsAsync(CancellationToken.None));
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task Enumerate_lists_objects_and_delete_removes_them()
    {
        var (oid, bytes) = Blob(10);
        await _store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        var listed = new List<ObjectInfo>();
        await foreach (var info in _store.EnumerateAsync(CancellationToken.None))
        {
            listed.Add(info);
        }
        Assert.Equal([new ObjectInfo(oid, 10)], listed);
        Assert.True(await _store.DeleteAsync(oid, CancellationToken.None));
        Assert.False(await _store.DeleteAsync(oid, CancellationToken.None));
        Assert.Null(await _store.OpenReadAsync(oid, 0, CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter)
            {
                throw new IOException("connection reset");
            }
            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - Position)], cancellationToken);
        }
    }
}
