using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DurableLfsHost;

/// <summary>
/// Objects as files under <c>root/aa/bb/oid</c>, stored as StorageServer's filesystem store does:
/// streamed into a temporary file while hashed, the file fsynced, renamed into place, the directory
/// fsynced, and each shard directory fsynced into its parent before the rename (a new directory's entry is
/// on disk only once its parent is flushed; see <see cref="DurableDirectories"/>). So the baseline pays for
/// the same durability and the ratio shows only the server's own cost.
/// </summary>
internal static partial class DurableFiles
{
    public static string PathOf(string root, string oid) => Path.Combine(root, oid[..2], oid[2..4], oid);

    /// <summary>True when stored (or already there); false when the bytes are not <paramref name="oid"/> or not <paramref name="size"/> long.</summary>
    public static async Task<bool> PutAsync(string root, string oid, long size, Stream body, CancellationToken cancellationToken)
    {
        var final = PathOf(root, oid);
        var temp = Path.Combine(root, ".tmp", $"{oid}.{Guid.NewGuid():N}");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long received = 0;
            using (var file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, size))
            {
                var buffer = new byte[256 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), received, cancellationToken);
                    received += read;
                }
                if (received != size || Convert.ToHexStringLower(hash.GetHashAndReset()) != oid)
                {
                    return false;
                }
                RandomAccess.FlushToDisk(file);
            }
            var directory = Path.GetDirectoryName(final)!;
            await DurableDirectories.EnsureAsync(Path.GetDirectoryName(directory)!, FlushDirectory);
            await DurableDirectories.EnsureAsync(directory, FlushDirectory);
            File.Move(temp, final, overwrite: true);
            FlushDirectory(directory);
            return true;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void FlushDirectory(string directory)
    {
        var fd = Open(directory, 0x10000); // O_RDONLY | O_DIRECTORY
        if (fd < 0)
        {
            throw new IOException($"open of '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
