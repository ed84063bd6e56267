using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;
using StorageServer.Data;
using StorageServer.Erasure;
using StorageServer.Objects;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Sweeping.LeaseStores;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// Upload leases: an upload takes a lease for its object, then waits out any sweep fence on it (a
/// sweep commits its fence, then looks for leases — see <see cref="SweepFence"/>). Each runs in its
/// own short-lived context so the upload's own unit of work is untouched. Where the leases live is
/// the <see cref="IUploadLeaseStore"/>'s business (rows on PostgreSQL, in process on SQLite); every
/// party to the rule asks here.
/// </summary>
public sealed class UploadLeases(
    IServiceScopeFactory scopes, IUploadLeaseStore store, SubjectHasher hasher, IOptions<RetentionOptions> options, TimeProvider clock)
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

    /// <summary>
    /// <see cref="AcquireForUploadAsync(string, CancellationToken)"/>, reading the fences and erasure
    /// on <paramref name="db"/> (the upload request's context, with nothing of its own in flight) where
    /// leases live in this process, so the lease writes nothing to it (issue 17: a context of its own
    /// cost a scope, a pooled context's rent and reset per upload). Where leases are rows, the lease
    /// still commits in a context of its own.
    /// </summary>
    public async Task<UploadLeaseAcquisition> AcquireForUploadAsync(StorageDbContext db, string oid, CancellationToken cancellationToken)
    {
        if (store is not InProcessUploadLeaseStore || db.Database.CurrentTransaction is not null)
        {
            return await AcquireCoreAsync(oid, checkErased: true, cancellationToken);
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await AcquireOnAsync(db, oid, checkErased: true, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<UploadLeaseAcquisition> AcquireCoreAsync(string oid, bool checkErased, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        // One connection for the lease's commit and every check after it (issue 17: on SQLite each
        // open runs the connection pragmas; an upload opened three connections here before).
        await db.Database.OpenConnectionAsync(cancellationToken);
        return await AcquireOnAsync(db, oid, checkErased, cancellationToken);
    }

    /// <summary>Takes the lease and waits out fences on <paramref name="db"/>, whose connection the caller opened.</summary>
    private async Task<UploadLeaseAcquisition> AcquireOnAsync(StorageDbContext db, string oid, bool checkErased, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var handle = new UploadLeaseHandle(store, await store.TakeAsync(db, oid, now, now + options.Value.UploadLeaseDuration, cancellationToken));
        try
        {
            return await WaitOutFencesAsync(db, oid, checkErased ? hasher.Oid(oid) : null, handle, cancellationToken);
        }
        catch
        {
            await handle.DisposeAsync();
            throw;
        }
    }

    private async Task<UploadLeaseAcquisition> WaitOutFencesAsync(StorageDbContext db, string oid, string? oidHash, UploadLeaseHandle handle, CancellationToken cancellationToken)
    {
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

    /// <summary>Whether an unexpired lease exists for <paramref name="oid"/> (read on <paramref name="db"/> where leases are rows).</summary>
    public Task<bool> IsLeasedAsync(StorageDbContext db, string oid, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.IsLeasedAsync(db, oid, now, cancellationToken);

    /// <summary>Every oid with an unexpired lease.</summary>
    public Task<IReadOnlySet<string>> FindLeasedAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.FindLeasedAsync(db, now, cancellationToken);

    /// <summary>Forgets expired leases (of crashed nodes).</summary>
    public Task DeleteExpiredAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.DeleteExpiredAsync(db, now, cancellationToken);
}
