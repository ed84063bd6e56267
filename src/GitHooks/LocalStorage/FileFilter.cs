using System.Security.Cryptography;
using StorageServer.Protocol;
using Oid = StorageServer.Protocol.Oid;
using StorageServer.Protocol.Pointers;

namespace GitHooks.LocalStorage;

/// <summary>
/// The clean and smudge transformations, on streams. Clean never touches the network (uploads
/// happen in pre-push); smudge only reads the local cache and otherwise leaves the pointer, so
/// that checkout stays fast and the post-checkout hook downloads everything in batches.
/// </summary>
public sealed class FileFilter(LfsObjectStore store)
{
    private const int CopyBufferSize = 1 << 16;

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
        string tempPath;
        long size = headLength;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var temp = store.CreateTempFile())
        {
            tempPath = temp.Name;
            try
            {
                hash.AppendData(head, 0, headLength);
                await temp.WriteAsync(head.AsMemory(0, headLength), cancellationToken);
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
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
        var oid = Oid.FromHash(hash.GetHashAndReset());
        store.Commit(tempPath, oid);
        var pointer = new LfsPointer(oid, size);
        await output.WriteAsync(pointer.ToBytes(), cancellationToken);
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
