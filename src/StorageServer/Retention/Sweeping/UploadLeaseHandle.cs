using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using StorageServer.Data;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Sweeping;

/// <summary>
/// A held upload lease. The upload releases it in the transaction that records the object and
/// its claim (<see cref="ReleaseWithinAsync"/>, then <see cref="MarkReleased"/> once that committed),
/// so a sweep or an erasure never sees the bytes with neither lease nor claim, and the release costs
/// no commit of its own. Disposing releases a lease still held (a failed or refused upload) in its own
/// short-lived context.
/// </summary>
public sealed class UploadLeaseHandle(IServiceScopeFactory scopes, SqliteWriteGate writes, long id) : IAsyncDisposable
{
    private bool _released;

    /// <summary>Deletes the lease row in <paramref name="db"/>'s current transaction.</summary>
    public Task ReleaseWithinAsync(StorageDbContext db, CancellationToken cancellationToken) => DeleteAsync(db, id, cancellationToken);

    /// <summary>The transaction that ran <see cref="ReleaseWithinAsync"/> committed: nothing left to release.</summary>
    public void MarkReleased() => _released = true;

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }
        _released = true;
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

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
