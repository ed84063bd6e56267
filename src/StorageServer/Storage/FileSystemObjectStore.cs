using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

/// <summary>
/// Objects as files under <c>root/aa/bb/&lt;oid&gt;</c>. Uploads are written to
/// <c>root/.tmp/&lt;node&gt;/</c> on the same filesystem, fsynced, then renamed into place and
/// the directory fsynced: a crash leaves either no object or a whole one.
/// </summary>
public sealed partial class FileSystemObjectStore : IObjectStore, ILocalFileObjectStore, ITemporaryFileCleanup, IStagedUploadStore
{
    private readonly string _root;
    private readonly string _tempDir;
    private readonly Action<string> _flushDirectory;
    private readonly ShardDirectories _shards;

    public FileSystemObjectStore(string root, string nodeId)
        : this(root, nodeId, DirectorySync.Flush)
    {
    }

    /// <param name="flushDirectory">fsyncs a directory; replaced only by tests that hold or fail it.</param>
    internal FileSystemObjectStore(string root, string nodeId, Action<string> flushDirectory)
    {
        _flushDirectory = flushDirectory;
        _root = Path.GetFullPath(root);
        _tempDir = Path.Combine(_root, ".tmp", nodeId);
        _shards = new ShardDirectories(_root, flushDirectory);
        CreateDurably(_root);
        Directory.CreateDirectory(_tempDir);
    }

    public string Name => "filesystem";

    public string Root => _root;

    public string? GetLocalPath(Oid oid)
    {
        var path = PathOf(oid);
        return File.Exists(path) ? path : null;
    }

    public Task<ObjectInfo?> GetInfoAsync(Oid oid, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(oid));
        return Task.FromResult(file.Exists ? new ObjectInfo(oid, file.Length) : null);
    }

    public Task<Stream?> OpenReadAsync(Oid oid, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(PathOf(oid), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            stream.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public async Task<PutResult> PutAsync(Oid oid, long expectedSize, Stream content, CancellationToken cancellationToken)
    {
        var finalPath = PathOf(oid);
        if (File.Exists(finalPath))
        {
            var (received, hashed) = await StreamReading.HashOnlyAsync(content, expectedSize, cancellationToken);
            var verdict = PutVerdict.Judge(oid, expectedSize, received, hashed, PutStatus.AlreadyExists);
            return verdict.Succeeded ? await AcknowledgeExistingAsync(oid, finalPath, verdict) : verdict;
        }

        var tempPath = Path.Combine(_tempDir, $"{oid}.{Guid.NewGuid():N}");
        // The shard's directories (and their fsyncs into their parents) do not depend on the bytes:
        // made durable while they stream in and their file is fsynced, a new shard no longer lengthens
        // the upload (issue 17: nearly every small upload to a young store opens a new aa/bb shard).
        var shardDurable = _shards.EnsureDurableAsync(oid);
        try
        {
            long received;
            Oid hashedOid;
            using (var file = OpenPreallocated(tempPath, expectedSize))
            {
                (received, hashedOid) = await WriteHashedAsync(content, file, expectedSize, cancellationToken);
                var verdict = PutVerdict.Judge(oid, expectedSize, received, hashedOid, PutStatus.Stored);
                if (!verdict.Succeeded)
                {
                    return verdict;
                }
                RandomAccess.FlushToDisk(file);
            }
            return await CommitAsync(oid, tempPath, finalPath, received, shardDurable);
        }
        finally
        {
            // A failed upload still waits for the shard creation it started or joined, and observes
            // its failure: nothing it set going outlives it.
            await shardDurable.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            File.Delete(tempPath);
        }
    }

    public string NewStagingPath() => Path.Combine(_tempDir, $"staged.{Guid.NewGuid():N}");

    public async Task<PutResult> PublishStagedAsync(Oid oid, long size, string stagedPath, CancellationToken cancellationToken)
    {
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(stagedPath)) != _tempDir)
            {
                throw new ArgumentException($"'{stagedPath}' is not a staging path of this store.", nameof(stagedPath));
            }
            using (var file = File.OpenHandle(stagedPath, FileMode.Open, FileAccess.ReadWrite))
            {
                var length = RandomAccess.GetLength(file);
                if (length != size)
                {
                    return new PutResult(PutStatus.SizeMismatch, length);
                }
                RandomAccess.FlushToDisk(file);
            }
            var finalPath = PathOf(oid);
            return File.Exists(finalPath)
                ? await AcknowledgeExistingAsync(oid, finalPath, new PutResult(PutStatus.AlreadyExists, size))
                : await CommitAsync(oid, stagedPath, finalPath, size, _shards.EnsureDurableAsync(oid));
        }
        finally
        {
            File.Delete(stagedPath);
        }
    }

    public Task<bool> DeleteAsync(Oid oid, CancellationToken cancellationToken)
    {
        var path = PathOf(oid);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        _flushDirectory(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<ObjectInfo> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var listed in ListAsync(cancellationToken))
        {
            yield return new ObjectInfo(listed.Oid, listed.Size);
        }
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(_tempDir, $"health.{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    public Task<int> DeleteAbandonedUploadsAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(_tempDir))
        {
            cancellationToken.ThrowIfCancellationRequested();
            File.Delete(file);
            count++;
        }
        return Task.FromResult(count);
    }

    /// <summary>
    /// Creates the temporary file with its whole size reserved, so a full disk is found before any
    /// byte is read. .NET reports a failed reservation without the errno; it becomes ENOSPC here
    /// when the disk indeed lacks the room, so callers can tell a full disk from other failures.
    /// </summary>
    private SafeFileHandle OpenPreallocated(string path, long size)
    {
        try
        {
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, size);
        }
        catch (IOException e) when (e.HResult != DiskSpace.DiskFull.NoSpaceHResult && DiskSpace.DiskSpaceGuard.FreeBytes(_root) < size)
        {
            throw new IOException($"No space left on the object store's disk for {size} bytes: {e.Message}", DiskSpace.DiskFull.NoSpaceHResult);
        }
    }

    private string PathOf(Oid oid) => Path.Combine(_root, oid.ShardedPath(Path.DirectorySeparatorChar));
}
