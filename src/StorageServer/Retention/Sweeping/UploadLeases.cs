using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Erasure;
using StorageServer.Objects;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// Upload leases: an upload commits a lease row for its object, then waits out any sweep fence
/// on it (a sweep commits its fence, then looks for leases — see <see cref="SweepFence"/>). Each
/// runs in its own short-lived context so the upload's own unit of work is untouched.
/// </summary>
public sealed class UploadLeases(
    IServiceScopeFactory scopes, SqliteWriteGate writes, SubjectHasher hasher, IOptions<RetentionOptions> options, IOptions<StorageServerOptions> server, TimeProvider clock)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private const int FoundFence = 1;
    private const int FoundErased = 2;

    /// <summary>The lease, or null when a sweep kept deleting this object for longer than <see cref="RetentionOptions.SweepFenceWait"/>.</summary>
    public async Task<UploadLeaseHandle?> AcquireAsync(string oid, CancellationToken cancellationToken) =>
        (await AcquireCoreAsync(oid, checkErased: false, cancellationToken)).Lease;

    /// <summary>
    /// An upload's lease, and whether an erasure got to the object: read after the lease committed
    /// (an erasure restricts its objects and then waits for their leases, so whichever comes second
    /// sees the other), in the same query that waits out sweep fences.
    /// </summary>
    public Task<UploadLeaseAcquisition> AcquireForUploadAsync(string oid, CancellationToken cancellationToken) =>
        AcquireCoreAsync(oid, checkErased: true, cancellationToken);

    private async Task<UploadLeaseAcquisition> AcquireCoreAsync(string oid, bool checkErased, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        // One connection for the lease's commit and every check after it (issue 17: on SQLite each
        // open runs the connection pragmas; an upload opened three connections here before).
        await db.Database.OpenConnectionAsync(cancellationToken);
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
        await using (await writes.EnterAsync(db, cancellationToken))
        {
            await db.SaveChangesWithoutFlushAsync(cancellationToken);
        }
        var handle = new UploadLeaseHandle(scopes, writes, lease.Id);
        var oidHash = checkErased ? hasher.Oid(oid) : null;
        // Real time, not the TimeProvider: this is a wait on another node's work, not policy time.
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(options.Value.SweepFenceWait.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (true)
        {
            var found = await FindFenceOrErasureAsync(db, oid, oidHash, cancellationToken);
            if (!found.Contains(FoundFence))
            {
                return new UploadLeaseAcquisition(handle, found.Contains(FoundErased));
            }
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline)
            {
                await handle.DisposeAsync();
                return new UploadLeaseAcquisition(null, false);
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// In one query: a sweep fence on <paramref name="oid"/>, and (when <paramref name="oidHash"/> is
    /// given) whether <paramref name="oid"/> is erased as <see cref="ObjectClaims.ErasedMarks"/> defines it.
    /// </summary>
    private static async Task<List<int>> FindFenceOrErasureAsync(StorageDbContext db, string oid, string? oidHash, CancellationToken cancellationToken) =>
        oidHash is null
            ? await db.Set<SweepFence>().Where(f => f.Oid == oid).Select(f => FoundFence).ToListAsync(cancellationToken)
            : await FenceOrErasure.For(db)(db, oid, oidHash).ToListAsync(cancellationToken);

    /// <summary>
    /// Compiled once (issue 17: every upload runs it; EF's per-call query setup cost more than the
    /// query), with <see cref="ObjectClaims.ErasedMarks"/> inlined for the one oid and its hash.
    /// </summary>
    private static readonly PerModelCompiledQuery<Func<StorageDbContext, string, string, IAsyncEnumerable<int>>> FenceOrErasure = new(CompileFenceOrErasure);

    private static Func<StorageDbContext, string, string, IAsyncEnumerable<int>> CompileFenceOrErasure()
    {
        Expression<Func<StorageDbContext, string, IQueryable<string>, IQueryable<int>>> shape = (db, oid, erased) =>
            db.Set<SweepFence>().Where(f => f.Oid == oid).Select(f => FoundFence).Concat(erased.Select(m => FoundErased));
        var (db, oid, erased) = (shape.Parameters[0], shape.Parameters[1], shape.Parameters[2]);
        var oidHash = Expression.Parameter(typeof(string), "oidHash");
        var marks = ObjectClaims.ErasedMarks;
        var inlined = new ReplacingExpressionVisitor(
                [marks.Parameters[0], marks.Parameters[1], marks.Parameters[2]],
                [db, Expression.NewArrayInit(typeof(string), oid), Expression.NewArrayInit(typeof(string), oidHash)])
            .Visit(marks.Body);
        var body = ReplacingExpressionVisitor.Replace(erased, inlined, shape.Body);
        return EF.CompileAsyncQuery(Expression.Lambda<Func<StorageDbContext, string, string, IQueryable<int>>>(body, db, oid, oidHash));
    }

    /// <summary>Whether an unexpired lease exists for <paramref name="oid"/>.</summary>
    public static async Task<bool> IsLeasedAsync(StorageDbContext db, string oid, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Set<UploadLease>().AsNoTracking().AnyAsync(l => l.Oid == oid && l.ExpiresAt > now, cancellationToken);
}
