using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Git;
using StorageServer.Git.Refs;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;
using StorageServer.Retention.Trash;

namespace StorageServer.Retention.Reachability;

/// <summary>
/// What a refresh saw: every ref (peeled), the protected ones' pointers (by <see cref="GitRef.Target"/>), the pointer-index rows it read
/// (all of the repository's for a full refresh, only those without a reachability row after a
/// push) and the reachability rows it left.
/// </summary>
public sealed record RepositorySnapshot(
    Repository Repository,
    EffectivePolicies Policies,
    IReadOnlyList<GitRef> Refs,
    IReadOnlyDictionary<string, IReadOnlyList<TipPointer>> TipPointers,
    IReadOnlyList<IndexedPointer> Indexed,
    IReadOnlyDictionary<string, Entities.Reachability> Rows);

/// <summary>
/// Brings <c>retention_reachability</c> of one repository up to date with its protected tips:
/// an object a protected tip references has no dereference time; one that stopped being
/// referenced gets it now (the "keep N days after dereference" clock starts here); one seen
/// only in history for the first time starts its clock at first sight. Trashed claims that a
/// protected tip references again are revived on the spot. Runs after every push and at every mark.
/// </summary>
public sealed class ReachabilityRefresher(
    StorageDbContext db, RefReader refReader, RepositoryGraph graph, GitRepositoryLayout layout, TrashService trash, PolicyLoader policies,
    IOptions<RetentionOptions> options, TimeProvider clock, ILogger<ReachabilityRefresher> logger)
{
    // One refresh per repository at a time on this node: a slower refresh must not overwrite a
    // newer one's view. (Across nodes the sweep's own git re-check is what keeps data safe.)
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> Gates = new();

    /// <summary>A full refresh: every row of the repository is read and returned (what a mark plans with).</summary>
    public Task<RepositorySnapshot> RefreshAsync(Repository repository, CancellationToken cancellationToken) =>
        RefreshAsync(repository, incremental: false, cancellationToken);

    /// <summary>
    /// The refresh after a push: reads only the rows that can change (referenced before or now, or
    /// new in the pointer index), so its cost follows the tips, not the history. The snapshot's
    /// <see cref="RepositorySnapshot.Rows"/> holds just those rows.
    /// </summary>
    public Task<RepositorySnapshot> RefreshAfterPushAsync(Repository repository, CancellationToken cancellationToken) =>
        RefreshAsync(repository, incremental: true, cancellationToken);

    private async Task<RepositorySnapshot> RefreshAsync(Repository repository, bool incremental, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(repository.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await RefreshLockedAsync(repository, incremental, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<RepositorySnapshot> RefreshLockedAsync(Repository repository, bool incremental, CancellationToken cancellationToken)
    {
        var effective = EffectivePolicies.For(repository.Id, await policies.LoadAsync(cancellationToken), options.Value.DefaultOrphanGrace);
        var gitDir = layout.PathOf(repository.Name);
        var refs = Directory.Exists(gitDir) ? await refReader.ReadAsync(gitDir, cancellationToken) : [];
        var protectedTips = refs.Where(r => effective.IsProtected(r.Name)).ToList();
        var tipPointers = await graph.ReadRefPointersAsync(repository.Id, gitDir, protectedTips, cancellationToken);

        var referenced = new Dictionary<string, (string Ref, string? Path, long Size)>(StringComparer.Ordinal);
        foreach (var tip in protectedTips)
        {
            foreach (var pointer in tipPointers[tip.Target])
            {
                referenced.TryAdd(pointer.Oid, (tip.Name, pointer.Path.Length == 0 ? null : pointer.Path, pointer.Size));
            }
        }
        var (indexed, rows) = incremental
            ? await ReachabilityRows.LoadChangeableAsync(db, repository.Id, referenced.Keys, cancellationToken)
            : await ReachabilityRows.LoadAllAsync(db, repository.Id, cancellationToken);

        var now = clock.GetUtcNow();
        // Every loaded row is in the universe: one a tip referenced before and none does now (or
        // whose commits a rescan dropped) gets its dereference time below.
        var universe = new Dictionary<string, (long Size, string? Path)>(StringComparer.Ordinal);
        foreach (var row in indexed)
        {
            universe.TryAdd(row.Oid, (row.Size, row.Path));
        }
        foreach (var row in rows.Values)
        {
            universe.TryAdd(row.Oid, (row.Size, row.LastPath));
        }
        foreach (var (oid, at) in referenced)
        {
            universe[oid] = (at.Size, at.Path);
        }
        var changed = 0;
        var added = new List<Entities.Reachability>();
        foreach (var (oid, (size, path)) in universe)
        {
            var isReferenced = referenced.TryGetValue(oid, out var at);
            if (!rows.TryGetValue(oid, out var row))
            {
                row = new Entities.Reachability
                {
                    RepositoryId = repository.Id, Oid = oid, Size = size, FirstSeenAt = now,
                    ReferencedByTip = isReferenced, UnreferencedSince = isReferenced ? null : now,
                    LastRef = isReferenced ? at.Ref : null, LastPath = isReferenced ? at.Path : path,
                };
                added.Add(row);
                rows[oid] = row;
                changed++;
            }
            else if (isReferenced && (!row.ReferencedByTip || row.LastRef != at.Ref || row.LastPath != at.Path))
            {
                db.Attach(row);
                (row.ReferencedByTip, row.UnreferencedSince, row.LastRef, row.LastPath) = (true, null, at.Ref, at.Path);
                changed++;
            }
            else if (!isReferenced && row.ReferencedByTip)
            {
                db.Attach(row);
                (row.ReferencedByTip, row.UnreferencedSince) = (false, now);
                changed++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await ReachabilityInserts.InsertAsync(db, added, cancellationToken);

        var revived = await trash.ReviveAsync(repository.Id, referenced.Keys.ToList(), "protected ref references it again", cancellationToken);
        logger.LogInformation("Retention reachability of {Repository}: {Protected} protected tips, {Referenced} objects at tips, {Changed} rows changed, {Revived} trashed claims revived",
            repository.Name, protectedTips.Count, referenced.Count, changed, revived);
        return new RepositorySnapshot(repository, effective, refs, tipPointers, indexed, rows);
    }
}
