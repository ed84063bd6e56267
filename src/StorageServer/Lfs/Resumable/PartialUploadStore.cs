using System.Text.Json;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Lfs.Resumable;

/// <summary>
/// Partial uploads on this node's disk: <c>&lt;key&gt;.part</c> holds the bytes received so far
/// (its length is the offset), <c>&lt;key&gt;.json</c> says what they are for. A writer holds the
/// part file exclusively, so two requests never append at once and cleanup never deletes an upload
/// in progress. Each user's partial uploads are bounded in number and announced bytes; a new one
/// that does not fit first evicts that user's least recently touched idle ones.
/// </summary>
public sealed class PartialUploadStore : IDisposable
{
    private readonly ResumableUploadOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _reserve = new(1, 1);

    public PartialUploadStore(IOptions<ResumableUploadOptions> options, IOptions<StorageServerOptions> server, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        Root = System.IO.Path.GetFullPath(_options.Path ?? System.IO.Path.Combine(server.Value.FullDataDir, "uploads"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PartPath(string key) => System.IO.Path.Combine(Root, key + ".part");

    private string MetaPath(string key) => System.IO.Path.Combine(Root, key + ".json");

    public PartialUpload? Find(string key) => Read(key);

    /// <summary>Bytes held for this upload so far (0 when there is none).</summary>
    public long OffsetOf(string key) => new FileInfo(PartPath(key)) is { Exists: true } file ? file.Length : 0;

    /// <summary>
    /// Finds or starts the partial upload; null when the user already has as many (or as large)
    /// uploads in progress as allowed and none of them can make room.
    /// </summary>
    public async Task<PartialUpload?> ReserveAsync(string repository, string oid, long size, string user, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var key = PartialUpload.KeyOf(repository, oid, size, user);
        await _reserve.WaitAsync(cancellationToken);
        try
        {
            if (Read(key) is { } existing)
            {
                var touched = existing with { TouchedAt = now };
                Write(touched);
                return touched;
            }
            var mine = All().Where(u => u.User == user).OrderBy(u => u.TouchedAt).ToList();
            foreach (var old in mine.ToList())
            {
                if (mine.Count < _options.MaxSessionsPerUser && mine.Sum(u => u.Size) + size <= _options.MaxBytesPerUser)
                {
                    break;
                }
                if (TryDelete(old.Key))
                {
                    mine.Remove(old);
                }
            }
            if (mine.Count >= _options.MaxSessionsPerUser || mine.Sum(u => u.Size) + size > _options.MaxBytesPerUser)
            {
                return null;
            }
            var upload = new PartialUpload(repository, oid, size, user, now, now);
            Write(upload);
            return upload;
        }
        finally
        {
            _reserve.Release();
        }
    }

    public void Touch(PartialUpload upload) => Write(upload with { TouchedAt = _clock.GetUtcNow() });

    /// <summary>The part file for appending, held exclusively; null when another request is writing it.</summary>
    public FileStream? OpenForAppend(string key)
    {
        try
        {
            return new FileStream(PartPath(key), FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        }
        catch (IOException) when (File.Exists(PartPath(key)))
        {
            return null;
        }
    }

    /// <summary>Deletes the upload unless a request is writing it; true when it is gone.</summary>
    public bool TryDelete(string key)
    {
        try
        {
            if (File.Exists(PartPath(key)))
            {
                using var held = new FileStream(PartPath(key), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                File.Delete(PartPath(key));
            }
            File.Delete(MetaPath(key));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Deletes uploads untouched for longer than the expiry, and stray files; returns how many uploads went.</summary>
    public int DeleteExpired()
    {
        var cutoff = _clock.GetUtcNow() - _options.Expiry;
        var removed = 0;
        foreach (var upload in All().Where(u => u.TouchedAt < cutoff))
        {
            removed += TryDelete(upload.Key) ? 1 : 0;
        }
        foreach (var part in Directory.EnumerateFiles(Root, "*.part"))
        {
            var key = System.IO.Path.GetFileNameWithoutExtension(part);
            if (!File.Exists(MetaPath(key)) && File.GetLastWriteTimeUtc(part) < cutoff.UtcDateTime)
            {
                TryDelete(key);
            }
        }
        return removed;
    }

    public IEnumerable<PartialUpload> All()
    {
        foreach (var file in Directory.EnumerateFiles(Root, "*.json"))
        {
            if (Read(System.IO.Path.GetFileNameWithoutExtension(file)) is { } upload)
            {
                yield return upload;
            }
        }
    }

    public void Dispose() => _reserve.Dispose();

    private PartialUpload? Read(string key)
    {
        try
        {
            using var file = File.OpenRead(MetaPath(key));
            return file.Length > 64 * 1024 ? null : JsonSerializer.Deserialize(file, PartialUploadJson.Default.PartialUpload);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private void Write(PartialUpload upload)
    {
        var temp = MetaPath(upload.Key) + "." + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(upload, PartialUploadJson.Default.PartialUpload));
        File.Move(temp, MetaPath(upload.Key), overwrite: true);
    }
}
