using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Dvc.Manifests;
using StorageServer.Dvc.Objects;
using StorageServer.Objects;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Dvc.TipEdits;

/// <summary>
/// DVC objects the server makes for a repository when it edits a branch tip: a mapping for an
/// object the repository already claims (a redacted successor stored by the erasure), and
/// directory manifests it writes, stored through the same upload path as any object.
/// </summary>
public sealed class DvcServerObjects(
    IObjectStore store, ObjectUploadService uploads, DvcMappings mappings, ManifestEntries entries, IOptions<StorageServerOptions> server)
{
    /// <summary>Maps a stored object under its MD5 in the tree of <paramref name="legacy"/> (md5-dos2unix there).</summary>
    public async Task<DvcHash> MapStoredAsync(long repositoryId, string oid, long size, bool legacy, string user, CancellationToken cancellationToken)
    {
        await using var content = await store.OpenReadAsync(Oid.Parse(oid), 0, cancellationToken)
            ?? throw new InvalidOperationException($"Object {oid} is missing from the {store.Name} store.");
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var dos2Unix = legacy ? new Dos2UnixMd5() : null;
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                dos2Unix?.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var hash = new DvcHash(dos2Unix?.Finish() ?? Convert.ToHexStringLower(md5.GetHashAndReset()), IsManifest: false, legacy);
        await mappings.MapAsync(repositoryId, hash, oid, size, user, cancellationToken);
        return hash;
    }

    /// <summary>Writes, stores and maps the manifest of <paramref name="files"/>; its entries must be mapped already.</summary>
    public async Task<DvcHash> StoreManifestAsync(long repositoryId, IReadOnlyList<DirEntry> files, bool legacy, string user, CancellationToken cancellationToken)
    {
        var bytes = ManifestWriter.Write(files);
#pragma warning disable CA5351 // DVC names a manifest by the MD5 of its bytes: an identifier, not a security check.
        var hash = new DvcHash(Convert.ToHexStringLower(MD5.HashData(bytes)), IsManifest: true, legacy);
#pragma warning restore CA5351
        var oid = Oid.FromHash(SHA256.HashData(bytes));
        var directory = DvcSpoolCleanup.Directory(server.Value);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"manifest.{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            await entries.RecordAsync(oid.Value, path, files.Count, cancellationToken);
            await using (var content = File.OpenRead(path))
            {
                var result = await uploads.UploadAsync(repositoryId, oid, bytes.Length, content, user, null, cancellationToken);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"Storing the rewritten manifest {hash} failed: {result.Outcome}.");
                }
            }
            await mappings.MapAsync(repositoryId, hash, oid.Value, bytes.Length, user, cancellationToken);
            return hash;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
