using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Planning;

/// <summary>The enabled retention policies, read fresh for each refresh, mark and sweep.</summary>
public sealed class PolicyLoader(StorageDbContext db)
{
    public async Task<List<RetentionPolicy>> LoadAsync(CancellationToken cancellationToken) =>
        await db.Set<RetentionPolicy>().AsNoTracking().Where(p => p.Enabled).OrderBy(p => p.Id).ToListAsync(cancellationToken);
}
