using System.Security.Cryptography;
using StorageServer.Protocol;
using Oid = StorageServer.Protocol.Oid;
using StorageServer.Protocol.Pointers;

namespace GitHooks.LocalStorage;

/// <summary>
/// The clean and smudge transformations, on streams. Clean never touches the network (uploads
/// happen in pre-push); smudge only reads the local cache and otherwise leaves the pointer. The
/// filter process delays such smudges and downloads in batches; without delay, the post-checkout
/// hook does.
/// </summary>
public sealed class FileFilter(LfsObjectStore store)
{
    private const int CopyBufferSize = 1 << 16;

    /// <summary>Files below this size are hashed in memory before anything is written.</summary>
    private const int InMemoryLimit = 1 << 20;

    /// <summary>
    /// Streams the file into the cache while hashing it and writes its canonical pointer. Input
    /// that already is a canonical pointer passes through unchanged (re-adding a file that was not
    /// smudged must not wrap the pointer in another pointer). A file that merely looks like a
    /// pointer but is not canonical is stored as data, so its bytes come back exactly.
    /// </summary>
    public async Task CleanAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var head = new byte[LfsPointer.MaxSize];
        var headLength = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (headLength == 0)
        {
            return; // An empty file is its own pointer.
        }
        if (headLength < LfsPointer.MaxSize && LfsPointer.IsCanonical(head.AsSpan(0, headLength)))
        {
            await output.WriteAsync(head.AsMemory(0, headLength), cancellationToken);
            return;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(head, 0, headLength);

        // Small files are read into a bounded buffer first: when git re-cleans a file whose
        // object is already cached (after a checkout, say), nothing is written at all.
        var small = new byte[InMemoryLimit];
        head.AsSpan(0, headLength).CopyTo(small);
        var smallLength = headLength + await input.ReadAtLeastAsync(small.AsMemory(headLength), InMemoryLimit - headLength, throwOnEndOfStream: false, cancellationToken);
        if (smallLength < InMemoryLimit)
        {
            hash.AppendData(small, headLength, smallLength - headLength);
            var smallOid = Oid.FromHash(hash.GetHashAndReset());
            var smallPointer = new LfsPointer(smallOid, smallLength);
            if (!store.Contains(smallPointer))
            {
                await WriteObjectAsync(smallOid, small.AsMemory(0, smallLength), Stream.Null, null, cancellationToken);
            }
            await output.WriteAsync(smallPointer.ToBytes(), cancellationToken);
            return;
        }
        hash.AppendData(small, headLength, smallLength - headLength);
        var (oid, size) = await WriteObjectAsync(null, small.AsMemory(0, smallLength), input, hash, cancellationToken);
        await output.WriteAsync(new LfsPointer(oid, size).ToBytes(), cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="prefix"/> then the rest of <paramref name="rest"/> to a temp file
    /// (hashing the rest when <paramref name="hash"/> is given) and renames it into the cache.
    /// </summary>
    private async Task<(Oid Oid, long Size)> WriteObjectAsync(Oid? known, ReadOnlyMemory<byte> prefix, Stream rest, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        string tempPath;
        long size = prefix.Length;
        await using (var temp = store.CreateTempFile())
        {
            tempPath = temp.Name;
            try
            {
                await temp.WriteAsync(prefix, cancellationToken);
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = await rest.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash?.AppendData(buffer, 0, read);
                    await temp.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }
            }
            catch
            {
                temp.Close();
                File.Delete(tempPath);
                throw;
            }
        }
        var oid = known ?? Oid.FromHash(hash!.GetHashAndReset());
        store.Commit(tempPath, oid);
        return (oid, size);
    }

    /// <summary>
    /// Writes the object's data when the input is a pointer whose object is cached; otherwise
    /// writes the input back unchanged. Returns the pointer when one was left in place.
    /// </summary>
    public async Task<LfsPointer?> SmudgeAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var head = new byte[LfsPointer.MaxSize];
        var headLength = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (headLength < LfsPointer.MaxSize && LfsPointer.TryParse(head.AsSpan(0, headLength), out var pointer))
        {
            if (pointer.Size > 0 && store.Contains(pointer))
            {
                await using var data = store.OpenRead(pointer.Oid);
                await data.CopyToAsync(output, CopyBufferSize, cancellationToken);
                return null;
            }
            await output.WriteAsync(head.AsMemory(0, headLength), cancellationToken);
            return pointer.Size > 0 ? pointer : null;
        }
        // Not a pointer (a file committed before it was tracked, say): pass it through as is.
        await output.WriteAsync(head.AsMemory(0, headLength), cancellationToken);
        await input.CopyToAsync(output, CopyBufferSize, cancellationToken);
        return null;
    }
}
