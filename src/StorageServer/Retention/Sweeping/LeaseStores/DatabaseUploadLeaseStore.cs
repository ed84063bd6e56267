using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Data;
using StorageServer.Retention.Entities;
using static StorageServer.Data.SqlIdentifiers;

namespace StorageServer.Retention.Sweeping.LeaseStores;

/// <summary>
/// Upload leases as rows of <c>object_upload_leases</c>, for databases several nodes share
/// (PostgreSQL): a node sees another node's uploads only through the database. A crashed node's
/// rows stop counting when they expire.
/// </summary>
public sealed class DatabaseUploadLeaseStore(IServiceScopeFactory scopes, SqliteWriteGate writes, IOptions<StorageServerOptions> server) : IUploadLeaseStore
{
    public async Task<long> TakeAsync(StorageDbContext db, string oid, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var lease = new UploadLease { Oid = oid, Node = server.Value.NodeId, StartedAt = now, ExpiresAt = expiresAt };
        db.Add(lease);
        // Committed without waiting for a WAL flush (issue 17: one fsync less per upload). The
        // lease's work is to be seen, not to survive: "sees" needs only the commit's visibility,
        // which comes with the commit. A crash that loses the lease row also loses the
        // unacknowledged upload it protects (its bytes are not yet recorded, so a crash leaves
        // nothing of it that needs protecting), and the record that acknowledges the upload is a
        // durable commit, which flushes this one too. Nothing else rides on this commit: the
        // context is this lease's own.
        await using (await writes.EnterAsync(db, cancellationToken))
        {
            await db.SaveChangesWithoutFlushAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return lease.Id;
    }

    public Task ReleaseWithinAsync(StorageDbContext db, long id, CancellationToken cancellationToken) => DeleteAsync(db, id, cancellationToken);

    /// <summary>The row went with the committed transaction.</summary>
    public void ReleaseCommitted(long id)
    {
    }

    public async Task ReleaseAsync(long id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        await using var write = await writes.EnterAsync(db, CancellationToken.None);
        await db.Database.OpenConnectionAsync(CancellationToken.None);
        try
        {
            await DeleteAsync(db, id, CancellationToken.None);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<bool> IsLeasedAsync(StorageDbContext db, string oid, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Set<UploadLease>().AsNoTracking().AnyAsync(l => l.Oid == oid && l.ExpiresAt > now, cancellationToken);

    public async Task<IReadOnlySet<string>> FindLeasedAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await db.Set<UploadLease>().AsNoTracking().Where(l => l.ExpiresAt > now).Select(l => l.Oid).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

    public async Task DeleteExpiredAsync(StorageDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Set<UploadLease>().Where(l => l.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The delete SQL per EF model, table and column names taken from it (so the schema is spelled once).</summary>
    private static readonly ConditionalWeakTable<IModel, string> DeleteSql = new();

    /// <summary>
    /// A plain command on <paramref name="db"/>'s open connection, in its current transaction: every
    /// upload releases its lease, and EF's ExecuteDelete pipeline cost more than the delete (issue 17).
    /// </summary>
    private static async Task DeleteAsync(StorageDbContext db, long id, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = DeleteSql.GetValue(db.Model, model =>
        {
            var entity = model.FindEntityType(typeof(UploadLease))!;
            return $"DELETE FROM {Quote(entity.GetTableName()!)} WHERE {Quote(entity.FindProperty(nameof(UploadLease.Id))!.GetColumnName())} = @id";
        });
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
