using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// Upload leases: an upload commits a lease row for its object, then waits out any sweep fence
/// on it (a sweep commits its fence, then looks for leases — see <see cref="SweepFence"/>). Each
/// runs in its own short-lived context so the upload's own unit of work is untouched.
/// </summary>
public sealed class UploadLeases(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, IOptions<StorageServerOptions> server, TimeProvider clock)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The lease, or null when a sweep kept deleting this object for longer than <see cref="RetentionOptions.SweepFenceWait"/>.</summary>
    public async Task<UploadLeaseHandle?> AcquireAsync(string oid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var now = clock.GetUtcNow();
        var lease = new UploadLease { Oid = oid, Node = server.Value.NodeId, StartedAt = now, ExpiresAt = now + options.Value.UploadLeaseDuration };
        db.Add(lease);
        // Committed without waiting for a WAL flush (issue 17: one fsync less per upload). The
        // lease's work is to be seen, not to survive: an erasure restricts its objects and then
        // waits for their leases, a sweep commits its fence and then looks for leases, and an
        // upload commits its lease and then checks for both; whichever comes second sees the
        // other, and "sees" needs only the commit's visibility, which comes with the commit. A
        // crash that loses the lease row also loses the unacknowledged upload it protects (its
        // bytes are not yet recorded, so a crash leaves nothing of it that needs protecting),
        // and the record that acknowledges the upload is a durable commit, which flushes this
        // one too. Nothing else rides on this commit: the context is this lease's own.
        await db.SaveChangesWithoutFlushAsync(cancellationToken);
        var handle = new UploadLeaseHandle(scopes, lease.Id);
        // Real time, not the TimeProvider: this is a wait on another node's work, not policy time.
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(options.Value.SweepFenceWait.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (await db.Set<SweepFence>().AsNoTracking().AnyAsync(f => f.Oid == oid, cancellationToken))
        {
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline)
            {
                await handle.DisposeAsync();
                return null;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return handle;
    }

    /// <summary>Whether an unexpired lease exists for <paramref name="oid"/>.</summary>
    public static async Task<bool> IsLeasedAsync(StorageDbContext db, string oid, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Set<UploadLease>().AsNoTracking().AnyAsync(l => l.Oid == oid && l.ExpiresAt > now, cancellationToken);
}
