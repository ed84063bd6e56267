using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Globs;
using StorageServer.Retention.Entities;

namespace StorageServer.Holds;

/// <summary>The active hold that covers an object (the first one found, by id).</summary>
public sealed record HoldMatch(long HoldId, string CaseReference);

/// <summary>
/// Answers "may this object be deleted?" for retention, admins and erasure. Call it at the moment
/// of deletion (a hold placed after a candidate was marked must still win). A repository hold
/// covers what the repository claims or what its pointer index names; a path hold covers the
/// objects the pointer index shows at a matching path, in any commit of any ref. A claim in the
/// retention trash still counts as the repository's.
/// </summary>
public sealed class LegalHoldQuery(StorageDbContext db)
{
    private const int OidsPerQuery = 500;

    public async Task<HoldMatch?> FindHeldAsync(string oid, CancellationToken cancellationToken) =>
        (await FindHeldAsync([oid], cancellationToken)).GetValueOrDefault(oid);

    /// <summary>Of <paramref name="oids"/>, those covered by an active hold.</summary>
    public async Task<IReadOnlyDictionary<string, HoldMatch>> FindHeldAsync(IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, HoldMatch>(StringComparer.Ordinal);
        if (oids.Count == 0)
        {
            return held;
        }
        var holds = await db.LegalHolds.AsNoTracking().Where(h => h.ReleasedAt == null).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        if (holds.Count == 0)
        {
            return held;
        }
        var wanted = oids.ToHashSet(StringComparer.Ordinal);
        foreach (var hold in holds.Where(h => h.Oid is not null && wanted.Contains(h.Oid)))
        {
            held.TryAdd(hold.Oid!, Match(hold));
        }
        foreach (var chunk in wanted.Except(held.Keys).Chunk(OidsPerQuery))
        {
            await AddRepositoryHoldsAsync(holds, chunk, held, cancellationToken);
            await AddPathHoldsAsync(holds, chunk, held, cancellationToken);
        }
        return held;
    }

    private async Task AddRepositoryHoldsAsync(List<LegalHold> holds, string[] oids, Dictionary<string, HoldMatch> held, CancellationToken cancellationToken)
    {
        var repositoryHolds = holds.Where(h => h.Oid is null && h.PathGlob is null && h.RepositoryId is not null)
            .GroupBy(h => h.RepositoryId!.Value).ToDictionary(g => g.Key, g => g.First());
        if (repositoryHolds.Count == 0)
        {
            return;
        }
        var repositoryIds = repositoryHolds.Keys.ToList();
        var claimed = await db.RepoObjects.AsNoTracking()
            .Where(c => repositoryIds.Contains(c.RepositoryId) && oids.Contains(c.Oid))
            .Select(c => new { c.RepositoryId, c.Oid }).ToListAsync(cancellationToken);
        // A claim retention moved to the trash is still the repository's until swept (it can be
        // restored), and for an orphan upload it is the only tie left to the repository.
        var trashed = await db.Set<TrashEntry>().AsNoTracking()
            .Where(t => t.State == TrashState.Trashed && repositoryIds.Contains(t.RepositoryId) && oids.Contains(t.Oid))
            .Select(t => new { t.RepositoryId, t.Oid }).ToListAsync(cancellationToken);
        var indexed = await db.PointerRefs.AsNoTracking()
            .Where(p => repositoryIds.Contains(p.RepositoryId) && oids.Contains(p.Oid))
            .Select(p => new { p.RepositoryId, p.Oid }).Distinct().ToListAsync(cancellationToken);
        foreach (var row in claimed.Concat(trashed).Concat(indexed))
        {
            held.TryAdd(row.Oid, Match(repositoryHolds[row.RepositoryId]));
        }
    }

    private async Task AddPathHoldsAsync(List<LegalHold> holds, string[] oids, Dictionary<string, HoldMatch> held, CancellationToken cancellationToken)
    {
        var pathHolds = holds.Where(h => h.Oid is null && h.PathGlob is not null)
            .Select(h => (Hold: h, Glob: PathGlob.Parse(h.PathGlob!))).ToList();
        if (pathHolds.Count == 0)
        {
            return;
        }
        var remaining = oids.Where(o => !held.ContainsKey(o)).ToList();
        var locations = await db.PointerRefs.AsNoTracking()
            .Where(p => remaining.Contains(p.Oid))
            .Select(p => new { p.RepositoryId, p.Path, p.Oid }).Distinct().ToListAsync(cancellationToken);
        foreach (var location in locations)
        {
            var hold = pathHolds.FirstOrDefault(h => (h.Hold.RepositoryId is null || h.Hold.RepositoryId == location.RepositoryId) && h.Glob.IsMatch(location.Path));
            if (hold.Hold is not null)
            {
                held.TryAdd(location.Oid, Match(hold.Hold));
            }
        }
    }

    private static HoldMatch Match(LegalHold hold) => new(hold.Id, hold.CaseReference);
}
