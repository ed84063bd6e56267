using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Retention.Reachability;

/// <summary>A row of the pointer index: the commit that introduced a pointer at a path, its oid and size.</summary>
public sealed record IndexedPointer(string Commit, string Path, string Oid, long Size);

/// <summary>
/// What a reachability refresh reads: everything (a mark, which plans with every row), or only what
/// a push can change. Rows are untracked: the refresher attaches the few that change, so a large
/// repository's steady state costs no change tracking.
/// </summary>
internal static class ReachabilityRows
{
    private const int Chunk = 500;

    public static async Task<(List<IndexedPointer> Indexed, Dictionary<string, Entities.Reachability> Rows)> LoadAllAsync(
        StorageDbContext db, long repositoryId, CancellationToken cancellationToken)
    {
        var indexed = await db.PointerRefs.AsNoTracking().Where(p => p.RepositoryId == repositoryId)
            .Select(p => new IndexedPointer(p.CommitSha, p.Path, p.Oid, p.Size)).ToListAsync(cancellationToken);
        var rows = await db.Set<Entities.Reachability>().AsNoTracking().Where(r => r.RepositoryId == repositoryId)
            .ToDictionaryAsync(r => r.Oid, StringComparer.Ordinal, cancellationToken);
        return (indexed, rows);
    }

    /// <summary>
    /// The rows a push can change: those a tip referenced (which may now be dereferenced), those of
    /// the objects tips reference now, and the pointer-index objects that have no row yet.
    /// </summary>
    public static async Task<(List<IndexedPointer> Indexed, Dictionary<string, Entities.Reachability> Rows)> LoadChangeableAsync(
        StorageDbContext db, long repositoryId, IReadOnlyCollection<string> referencedNow, CancellationToken cancellationToken)
    {
        var reachability = db.Set<Entities.Reachability>();
        var rows = await reachability.AsNoTracking().Where(r => r.RepositoryId == repositoryId && r.ReferencedByTip)
            .ToDictionaryAsync(r => r.Oid, StringComparer.Ordinal, cancellationToken);
        // One array parameter per chunk, not one per oid (as LfsObjectCheck's query).
        foreach (var chunk in referencedNow.Where(oid => !rows.ContainsKey(oid)).Chunk(Chunk))
        {
            foreach (var row in await reachability.AsNoTracking().Where(r => r.RepositoryId == repositoryId && EF.Parameter(chunk).Contains(r.Oid)).ToListAsync(cancellationToken))
            {
                rows[row.Oid] = row;
            }
        }
        var indexed = await db.PointerRefs.AsNoTracking()
            .Where(p => p.RepositoryId == repositoryId && !reachability.Any(r => r.RepositoryId == repositoryId && r.Oid == p.Oid))
            .Select(p => new IndexedPointer(p.CommitSha, p.Path, p.Oid, p.Size)).ToListAsync(cancellationToken);
        return (indexed, rows);
    }
}
