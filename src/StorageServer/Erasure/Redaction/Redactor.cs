using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Objects;
using StorageServer.Protocol.Pointers;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Redaction;

/// <summary>
/// Writes the successor of a shared line-oriented file without the subject's lines and stores it,
/// claimed by every repository that claimed the original. <see cref="BranchTipUpdater"/> asks for
/// it only for versions some branch tip holds (older ones are just erased). Idempotent: a
/// successor already recorded is reused.
/// </summary>
public sealed class Redactor(
    StorageDbContext db, IObjectStore store, ObjectUploadService uploads, IOptions<StorageServerOptions> server, ILogger<Redactor> logger)
{

    /// <summary>The successor's pointer, writing and storing the successor first unless an earlier run did.</summary>
    public async Task<LfsPointer> EnsureSuccessorAsync(ErasureItem item, CancellationToken cancellationToken)
    {
        if (item.SuccessorOid is not null)
        {
            var size = await db.Objects.AsNoTracking().Where(o => o.Oid == item.SuccessorOid).Select(o => o.Size).SingleAsync(cancellationToken);
            return new LfsPointer(Oid.Parse(item.SuccessorOid), size);
        }
        await using var original = await store.OpenReadAsync(Oid.Parse(item.Oid), 0, cancellationToken)
            ?? throw new InvalidOperationException($"Object {item.Oid} to redact is missing from the {store.Name} store.");
        var directory = Path.Combine(server.Value.FullDataDir, "tmp", "erasure");
        using var successor = item.DropRanges is null && item.DropLines is not null
            ? await SuccessorWriter.WriteLegacyAsync(original, LegacyLines(item.DropLines), directory, cancellationToken)
            : await SuccessorWriter.WriteAsync(original, DropRanges.Parse(item.DropRanges), directory, cancellationToken);
        var claimants = await db.RepoObjects.AsNoTracking().Where(c => c.Oid == item.Oid).Select(c => c.RepositoryId).ToListAsync(cancellationToken);
        foreach (var repositoryId in claimants)
        {
            await using var content = File.OpenRead(successor.Path);
            var result = await uploads.UploadAsync(repositoryId, Oid.Parse(successor.Oid), successor.Size, content, ErasureActors.System, null, cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Storing the redacted successor of {item.Oid} failed: {result.Outcome}.");
            }
        }
        item.SuccessorOid = successor.Oid;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Erasure request {ErasureRequest}: stored redacted successor {Successor} ({Size} bytes)", item.RequestId, successor.Oid, successor.Size);
        return new LfsPointer(Oid.Parse(successor.Oid), successor.Size);
    }

    private static HashSet<long> LegacyLines(string dropLines) =>
        dropLines.Split(',').Select(l => long.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
}
