using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Data.Entities;

namespace StorageServer.Erasure.Index;

/// <summary>A repository and path where the pointer index saw an object (in some commit).</summary>
public sealed record PointerLocation(string Oid, Repository Repository, string Path);

/// <summary>Where the pointer index saw objects of a request: for its tip updates, planning and receipt.</summary>
public static class PointerLocations
{
    private const int OidsPerQuery = 500;

    /// <summary>One row per indexed (commit, path) of each of <paramref name="oids"/>; callers keep what they need distinct.</summary>
    public static async Task<List<PointerLocation>> FindAsync(StorageDbContext db, IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var found = new List<PointerLocation>();
        foreach (var chunk in oids.Chunk(OidsPerQuery))
        {
            found.AddRange(await (
                    from p in db.PointerRefs
                    join r in db.Repositories on p.RepositoryId equals r.Id
                    where chunk.Contains(p.Oid)
                    select new PointerLocation(p.Oid, r, p.Path))
                .AsNoTracking().ToListAsync(cancellationToken));
        }
        return found;
    }
}
