using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Tracking;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// Puts DVC outputs into the pointer index like LFS pointers: each output a commit introduced is
/// recorded in <c>dvc_outputs</c>, and every file it resolves to (a directory through its
/// manifest, the manifest itself at the directory's path) becomes a <c>pointer_refs</c> row with
/// the object's SHA-256, so retention, holds and erasure see DVC data as they see LFS data.
/// Outputs whose data arrives after the push get their rows when it is uploaded.
/// </summary>
public sealed class DvcIndexer(StorageDbContext db, DvcPointerResolver resolver, TimeProvider clock)
{
    private static readonly string[] OutputColumns =
    [
        nameof(DvcOutputRef.RepositoryId), nameof(DvcOutputRef.CommitSha), nameof(DvcOutputRef.Path), nameof(DvcOutputRef.Legacy),
        nameof(DvcOutputRef.Hash), nameof(DvcOutputRef.MetadataPath), nameof(DvcOutputRef.IndexedAt),
    ];

    /// <summary>Records <paramref name="outputs"/> and the pointer rows of those already uploaded; returns how many pointer rows were new.</summary>
    public async Task<int> IndexAsync(long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, PointerIndexer pointers, CancellationToken cancellationToken)
    {
        if (outputs.Count == 0)
        {
            return 0;
        }
        await RecordOutputsAsync(repositoryId, outputs, cancellationToken);
        return await pointers.AddAsync(repositoryId, await EntriesAsync(repositoryId, outputs, cancellationToken), cancellationToken);
    }

    /// <summary>After an upload: the pointer rows of every indexed output naming <paramref name="hash"/> in this repository.</summary>
    public async Task<int> IndexUploadedAsync(long repositoryId, DvcHash hash, PointerIndexer pointers, CancellationToken cancellationToken)
    {
        var rows = await db.Set<DvcOutputRef>().AsNoTracking()
            .Where(o => o.RepositoryId == repositoryId && o.Legacy == hash.Legacy && o.Hash == hash.Value)
            .ToListAsync(cancellationToken);
        var outputs = rows.Select(r => new DvcOutputEntry(r.CommitSha, new DvcOutput(r.Path, hash, null, null, r.MetadataPath, null, 0))).ToList();
        return outputs.Count == 0 ? 0 : await pointers.AddAsync(repositoryId, await EntriesAsync(repositoryId, outputs, cancellationToken), cancellationToken);
    }

    private async Task<List<PointerEntry>> EntriesAsync(long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, CancellationToken cancellationToken)
    {
        var resolved = (await resolver.ResolveAsync(repositoryId, outputs.Select(o => o.Output).Distinct().ToList(), cancellationToken)).ToLookup(p => p.Output);
        return outputs.SelectMany(o => resolved[o.Output].Select(p => new PointerEntry(o.Commit, p.Path, new LfsPointer(Oid.Parse(p.Oid), p.Size)))).ToList();
    }

    private async Task RecordOutputsAsync(long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, CancellationToken cancellationToken)
    {
        var indexedAt = clock.GetUtcNow();
        await RowInserts.InsertNewAsync(db, typeof(DvcOutputRef), OutputColumns,
            outputs.DistinctBy(o => (o.Commit, o.Output.Path)).Select(o => new object?[]
                { repositoryId, o.Commit, o.Output.Path, o.Output.Hash.Legacy, o.Output.Hash.Value, o.Output.MetadataPath, indexedAt }),
            cancellationToken);
    }
}
