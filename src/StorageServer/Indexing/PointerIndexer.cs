using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Indexing;
using StorageServer.Git;

namespace StorageServer.Indexing;

/// <summary>Counts of a full rescan.</summary>
/// <param name="Commits">Commits reachable from any ref.</param>
/// <param name="Pointers">Pointer introductions found in them.</param>
/// <param name="Added">Rows that were missing from the index.</param>
/// <param name="Unreachable">Indexed commits no ref reaches any more; their rows are kept: pushed history that retention and holds still cover.</param>
public sealed record RescanResult(string Repository, int Commits, int Pointers, int Added, int Unreachable);

/// <summary>
/// Keeps <see cref="PointerRef"/> rows (which commit introduced which pointer, or DVC output file, at which path) in
/// step with a repository: after each push for the commits that landed, and by full rescans.
/// Writes are idempotent (<c>ON CONFLICT DO NOTHING</c> on repo+commit+path) and go in short
/// transactions of up to a thousand rows (<see cref="RowInserts"/>), so concurrent pushes
/// never hold the SQLite write lock for long.
/// </summary>
public sealed class PointerIndexer(
    StorageDbContext db, PointerScanner scanner, GitRepositoryLayout layout, DvcIndexer dvc, TimeProvider clock, ILogger<PointerIndexer> logger)
{
    private static readonly string[] Columns =
    [
        nameof(PointerRef.RepositoryId), nameof(PointerRef.CommitSha), nameof(PointerRef.Path), nameof(PointerRef.Oid), nameof(PointerRef.Size), nameof(PointerRef.IndexedAt),
    ];

    /// <summary>Indexes the pointers of the commits a push brought: <paramref name="revisions"/> as for <see cref="PointerScanner.ScanAsync"/>.</summary>
    public async Task<int> IndexAsync(Repository repository, IReadOnlyList<string> revisions, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        await IndexScanAsync(repository, await scanner.ScanAsync(layout.PathOf(repository.Name), revisions, arguments, null, cancellationToken), cancellationToken);

    /// <summary>Indexes what <paramref name="scan"/> found: a push's new commits, scanned already by its pre-receive check.</summary>
    public async Task<int> IndexScanAsync(Repository repository, PointerScan scan, CancellationToken cancellationToken)
    {
        var added = await AddAsync(repository.Id, scan.Pointers, cancellationToken);
        added += await dvc.IndexAsync(repository.Id, scan.DvcOutputs, this, cancellationToken);
        logger.LogInformation("Indexed {Repository}: {Commits} new commits, {Pointers} pointers, {Outputs} DVC outputs, {Added} rows added",
            repository.Name, scan.Commits.Count, scan.Pointers.Count, scan.DvcOutputs.Count, added);
        return added;
    }

    /// <summary>
    /// Adds what the index lacks from every ref's history. Rows (and DVC outputs) of commits no ref
    /// reaches any more (a force-push, a deleted branch) stay: they are history that was pushed, which
    /// retention keeps unless a history rule lets it go, and which holds and erasure must still see.
    /// </summary>
    public async Task<RescanResult> RescanAsync(Repository repository, CancellationToken cancellationToken)
    {
        var scan = await scanner.ScanAsync(layout.PathOf(repository.Name), [], ["--all"], null, cancellationToken);
        var added = await AddAsync(repository.Id, scan.Pointers, cancellationToken);
        added += await dvc.IndexAsync(repository.Id, scan.DvcOutputs, this, cancellationToken);
        var reachable = scan.Commits.ToHashSet(StringComparer.Ordinal);
        var indexed = await db.PointerRefs.AsNoTracking().Where(p => p.RepositoryId == repository.Id)
            .Select(p => p.CommitSha).Distinct().ToListAsync(cancellationToken);
        var unreachable = indexed.Count(c => !reachable.Contains(c));
        logger.LogInformation("Rescanned {Repository}: {Commits} commits, {Pointers} pointers, {Added} rows added, {Unreachable} commits no ref reaches kept",
            repository.Name, scan.Commits.Count, scan.Pointers.Count, added, unreachable);
        return new RescanResult(repository.Name, scan.Commits.Count, scan.Pointers.Count, added, unreachable);
    }

    /// <summary>Inserts the rows that are not there yet; returns how many were new.</summary>
    public async Task<int> AddAsync(long repositoryId, IReadOnlyList<PointerEntry> pointers, CancellationToken cancellationToken)
    {
        if (pointers.Count == 0)
        {
            return 0;
        }
        var indexedAt = clock.GetUtcNow();
        return await RowInserts.InsertNewAsync(db, typeof(PointerRef), Columns,
            pointers.DistinctBy(p => (p.Commit, p.Path)).Select(p => new object?[] { repositoryId, p.Commit, p.Path, p.Pointer.Oid.Value, p.Pointer.Size, indexedAt }),
            cancellationToken);
    }
}
