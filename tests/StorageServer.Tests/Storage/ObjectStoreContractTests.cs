using System.Security.Cryptography;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Storage;

/// <summary>
/// The <see cref="IObjectStore"/> contract, run against every store: one subclass per store
/// supplies it and says how to check that nothing (object or partial upload) was left behind.
/// </summary>
public abstract class ObjectStoreContractTests
{
    protected abstract IObjectStore Store { get; }

    /// <summary>Asserts the store holds no object and no leftover of an upload.</summary>
    protected abstract Task AssertNothingStoredAsync();

    protected static (Oid Oid, byte[] Bytes) Blob(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (Oid.FromHash(SHA256.HashData(bytes)), bytes);
    }

    protected static async Task<byte[]> ReadAllAsync(IObjectStore store, Oid oid, long offset)
    {
        await using var read = await store.OpenReadAsync(oid, offset, CancellationToken.None);
        Assert.NotNull(read);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Stores_verified_bytes_and_reads_them_from_an_offset()
    {
        var (oid, bytes) = Blob(3 * 1024 * 1024 + 7);
        var result = await Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(PutStatus.Stored, result.Status);
        Assert.Equal(new ObjectInfo(oid, bytes.Length), await Store.GetInfoAsync(oid, CancellationToken.None));
        Assert.Equal(bytes.AsSpan(5).ToArray(), await ReadAllAsync(Store, oid, 5));
        Assert.Equal(bytes, await ReadAllAsync(Store, oid, 0));
    }

    [Fact]
    public async Task An_empty_object_round_trips()
    {
        var result = await Store.PutAsync(Oid.Empty, 0, new MemoryStream(), CancellationToken.None);
        Assert.Equal(PutStatus.Stored, result.Status);
        Assert.Empty(await ReadAllAsync(Store, Oid.Empty, 0));
    }

    [Fact]
    public async Task A_hash_mismatch_stores_nothing_and_leaves_no_temp_file()
    {
        var (oid, _) = Blob(1000, seed: 1);
        var (_, other) = Blob(1000, seed: 2);
        var result = await Store.PutAsync(oid, other.Length, new MemoryStream(other), CancellationToken.None);
        Assert.Equal(PutStatus.HashMismatch, result.Status);
        Assert.Null(await Store.GetInfoAsync(oid, CancellationToken.None));
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_body_shorter_or_longer_than_declared_is_a_size_mismatch(int delta)
    {
        var (oid, bytes) = Blob(5000);
        var result = await Store.PutAsync(oid, bytes.Length + delta, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(PutStatus.SizeMismatch, result.Status);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(64 * 1024, 1)]
    [InlineData(64 * 1024, -1)]
    public async Task A_body_one_byte_off_an_object_sized_buffer_is_a_size_mismatch(int declared, int delta)
    {
        // Small objects stream through buffers of their own size: the byte that tells an
        // oversized body arrives in a second read, a missing byte as a short first one.
        var (oid, bytes) = Blob(declared + delta);
        var result = await Store.PutAsync(oid, declared, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(new PutResult(PutStatus.SizeMismatch, declared + delta), result);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Reading_stops_one_byte_past_the_declared_size()
    {
        var (oid, bytes) = Blob(4 * 1024 * 1024);
        var body = new MemoryStream(bytes);
        var result = await Store.PutAsync(oid, 10, body, CancellationToken.None);
        Assert.Equal(PutStatus.SizeMismatch, result.Status);
        Assert.Equal(11, result.BytesReceived);
        Assert.Equal(11, body.Position);
    }

    [Fact]
    public async Task An_existing_object_still_needs_the_right_bytes()
    {
        var (oid, bytes) = Blob(2048);
        await Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        var body = new MemoryStream(bytes);
        var again = await Store.PutAsync(oid, bytes.Length, body, CancellationToken.None);
        Assert.Equal(PutStatus.AlreadyExists, again.Status);
        Assert.Equal(bytes.Length, body.Position);
        var (_, wrong) = Blob(2048, seed: 9);
        Assert.Equal(PutStatus.HashMismatch, (await Store.PutAsync(oid, wrong.Length, new MemoryStream(wrong), CancellationToken.None)).Status);
        Assert.Equal(bytes, await ReadAllAsync(Store, oid, 0));
    }

    [Fact]
    public async Task A_broken_connection_leaves_nothing_behind()
    {
        var (oid, bytes) = Blob(3 * 1024 * 1024);
        var failing = new FailingStream(bytes, failAfter: 1024 * 1024 + 10);
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(oid, bytes.Length, failing, CancellationToken.None));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Enumerate_lists_objects_and_delete_removes_them()
    {
        var (oid, bytes) = Blob(10);
        await Store.PutAsync(oid, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        var listed = new List<ObjectInfo>();
        await foreach (var info in Store.EnumerateAsync(CancellationToken.None))
        {
            listed.Add(info);
        }
        Assert.Equal([new ObjectInfo(oid, 10)], listed);
        Assert.True(await Store.DeleteAsync(oid, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(oid, CancellationToken.None));
        Assert.Null(await Store.OpenReadAsync(oid, 0, CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(oid, CancellationToken.None));
    }

    [Fact]
    public async Task Health_check_passes_on_a_working_store()
    {
        await Store.CheckHealthAsync(CancellationToken.None);
    }

    /// <summary>A body whose connection breaks after <paramref name="failAfter"/> bytes.</summary>
    protected sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
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
