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
        await db.SaveChangesAsync(cancellationToken);
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
