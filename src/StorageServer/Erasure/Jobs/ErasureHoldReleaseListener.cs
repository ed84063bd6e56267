using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Holds;

namespace StorageServer.Erasure.Jobs;

/// <summary>A released hold may unblock deferred requests: queue a run for each (one still held defers again).</summary>
public sealed class ErasureHoldReleaseListener(StorageDbContext db, ErasureLauncher launcher) : ILegalHoldReleaseListener
{
    public async Task OnReleasedAsync(StorageServer.Data.Entities.LegalHold hold, CancellationToken cancellationToken)
    {
        var deferred = await db.Set<ErasureRequest>().AsNoTracking().Where(r => r.State == ErasureState.Deferred).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in deferred)
        {
            await launcher.RunRequestAsync(id, "system:hold-release", cancellationToken);
        }
    }
}
