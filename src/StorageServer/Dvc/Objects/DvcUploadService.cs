using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Indexing;
using StorageServer.Dvc.Manifests;
using StorageServer.Indexing;
using StorageServer.Objects;
using StorageServer.Storage;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// A DVC upload: the body streams into a staging file while MD5 and SHA-256 are computed in one
/// pass; bytes whose MD5 is not the path's are discarded (nothing stored), a manifest is checked
/// (<see cref="ManifestCheck"/>), and then the bytes go into the object store under their SHA-256
/// through <see cref="ObjectUploadService"/>, the same refusal of erased objects, upload lease and
/// record as a Git LFS PUT, so bytes tracked by both are stored once. Last, this repository's
/// MD5 → SHA-256 mapping is written (only an upload of the bytes to this repository creates it),
/// and commits already pushed that name the object get their pointer-index rows.
/// </summary>
public sealed class DvcUploadService(
    StorageDbContext db, IObjectStore store, ObjectUploadService uploads, ObjectClaims claims, ManifestCheck manifests, ManifestEntries entries,
    DvcMappings mappings, DvcIndexer indexer, IServiceProvider services, IOptions<DvcOptions> options, IOptions<StorageServerOptions> server)
{
    public async Task<DvcUploadResult> UploadAsync(Repository repository, DvcHash hash, Stream body, string user, CancellationToken cancellationToken)
    {
        // Refused before a byte is read when this repository's copy of exactly this object was erased.
        var existing = await FindMappingAsync(repository.Id, hash, cancellationToken);
        if (existing is not null && (await claims.FindErasedAsync([existing.Oid], cancellationToken)).Count > 0)
        {
            return new DvcUploadResult(DvcUploadOutcome.Erased, 0, existing.Oid);
        }
        var limit = hash.IsManifest ? options.Value.MaxManifestSize : options.Value.MaxObjectSize;
        var staging = store as IStagedUploadStore;
        using var spooled = await UploadSpool.WriteAsync(body, staging?.NewStagingPath() ?? SpoolPath(), limit, hash.Legacy, cancellationToken);
        if (spooled is null)
        {
            return new DvcUploadResult(DvcUploadOutcome.TooLarge, limit + 1, null, $"larger than {limit} bytes");
        }
        var oid = spooled.Sha256;
        if (!spooled.Matches(hash))
        {
            return new DvcUploadResult(DvcUploadOutcome.HashMismatch, spooled.Size, oid.Value, $"the body's MD5 is {spooled.Md5}");
        }
        if (hash.IsManifest)
        {
            var verdict = await manifests.CheckAsync(spooled.Path, repository.Id, hash.Legacy, cancellationToken);
            if (!verdict.Accepted)
            {
                return new DvcUploadResult(verdict.MissingEntries ? DvcUploadOutcome.IncompleteManifest : DvcUploadOutcome.BadManifest, spooled.Size, oid.Value, verdict.Problem);
            }
            await entries.RecordAsync(oid.Value, spooled.Path, verdict.Entries, cancellationToken);
        }
        var stored = await uploads.PublishAsync(repository.Id, oid, spooled.Size, user, ct => Publish(staging, spooled, ct), cancellationToken);
        switch (stored.Outcome)
        {
            case UploadOutcome.Erased:
                return new DvcUploadResult(DvcUploadOutcome.Erased, spooled.Size, oid.Value);
            case UploadOutcome.Busy:
                return new DvcUploadResult(DvcUploadOutcome.Busy, spooled.Size, oid.Value);
            case not (UploadOutcome.Stored or UploadOutcome.AlreadyStored):
                throw new InvalidOperationException($"The store refused bytes it was given with their own hash: {stored.Outcome}.");
        }
        // The bytes are durable and claimed now; record the mapping even if the client hangs up.
        var created = await mappings.MapAsync(repository.Id, hash, oid.Value, spooled.Size, user, CancellationToken.None);
        if (created && services.GetService<PointerIndexer>() is { } pointers)
        {
            // Commits pushed before their data (a repository that only warns) get their index rows now.
            await indexer.IndexUploadedAsync(repository.Id, hash, pointers, CancellationToken.None);
        }
        return new DvcUploadResult(created ? DvcUploadOutcome.Stored : DvcUploadOutcome.AlreadyStored, spooled.Size, oid.Value);
    }

    private Task<PutResult> Publish(IStagedUploadStore? staging, SpooledUpload spooled, CancellationToken cancellationToken)
    {
        if (staging is not null)
        {
            return staging.PublishStagedAsync(spooled.Sha256, spooled.Size, spooled.Path, cancellationToken);
        }
        return PutFromSpoolAsync(spooled, cancellationToken);
    }

    private async Task<PutResult> PutFromSpoolAsync(SpooledUpload spooled, CancellationToken cancellationToken)
    {
        await using var content = ManifestCheck.OpenRead(spooled.Path);
        return await store.PutAsync(spooled.Sha256, spooled.Size, content, cancellationToken);
    }

    private Task<DvcObject?> FindMappingAsync(long repositoryId, DvcHash hash, CancellationToken cancellationToken) =>
        db.Set<DvcObject>().AsNoTracking().SingleOrDefaultAsync(o => o.RepositoryId == repositoryId && o.Legacy == hash.Legacy && o.Hash == hash.Value, cancellationToken);

    private string SpoolPath()
    {
        var directory = DvcSpoolCleanup.Directory(server.Value);
        System.IO.Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"upload.{Guid.NewGuid():N}");
    }
}
