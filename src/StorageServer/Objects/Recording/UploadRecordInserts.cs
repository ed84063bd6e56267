using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using StorageServer.Data;
using StorageServer.Data.Entities;
using static StorageServer.Data.SqlIdentifiers;

namespace StorageServer.Objects.Recording;

/// <summary>
/// An upload record's new rows on SQLite (a new object row and/or the repository's claim) as one
/// plain command in the caller's transaction, instead of EF's change tracker and SaveChanges, which
/// cost more per upload than the inserts themselves (issue 17). Table and column names and the
/// stored form of each value come from the EF model, so the schema is still spelled once there.
/// A constraint failure surfaces as the <see cref="DbUpdateException"/> SaveChanges would throw,
/// so <see cref="StorageDbContext.IsUniqueViolation"/> and the callers' retries see no difference.
/// </summary>
internal static class UploadRecordInserts
{
    private static readonly string[] ObjectColumns =
        [nameof(StoredObject.Oid), nameof(StoredObject.Size), nameof(StoredObject.State), nameof(StoredObject.CreatedAt), nameof(StoredObject.StateChangedAt)];

    private static readonly string[] ClaimColumns =
        [nameof(RepoObject.RepositoryId), nameof(RepoObject.Oid), nameof(RepoObject.UploadedBy), nameof(RepoObject.UploadedAt), nameof(RepoObject.FirstRef)];

    private static readonly ConditionalWeakTable<IModel, Statements> PerModel = new();

    public static async Task InsertAsync(StorageDbContext db, StoredObject? stored, RepoObject? claim, CancellationToken cancellationToken)
    {
        if (stored is null && claim is null)
        {
            return;
        }
        var statements = PerModel.GetValue(db.Model, model => new Statements(model));
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = "";
        if (stored is not null)
        {
            sql += statements.Object.Sql;
            statements.Object.Bind(command, [stored.Oid, stored.Size, stored.State, stored.CreatedAt, stored.StateChangedAt]);
        }
        if (claim is not null)
        {
            sql += statements.Claim.Sql;
            statements.Claim.Bind(command, [claim.RepositoryId, claim.Oid, claim.UploadedBy, claim.UploadedAt, claim.FirstRef]);
        }
        command.CommandText = sql;
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
        {
            throw new DbUpdateException(e.Message, e);
        }
    }

    private sealed class Statements(IModel model)
    {
        public Insert Object { get; } = new(model.FindEntityType(typeof(StoredObject))!, ObjectColumns, "o");

        public Insert Claim { get; } = new(model.FindEntityType(typeof(RepoObject))!, ClaimColumns, "c");
    }

    /// <summary>One table's INSERT with a parameter per column, each value converted as EF stores it.</summary>
    private sealed class Insert
    {
        private readonly IProperty[] _columns;
        private readonly string[] _names;

        public Insert(IEntityType entity, string[] properties, string prefix)
        {
            _columns = properties.Select(p => entity.FindProperty(p)!).ToArray();
            _names = properties.Select((_, i) => $"@{prefix}{i}").ToArray();
            Sql = $"INSERT INTO {Quote(entity.GetTableName()!)} ({string.Join(", ", _columns.Select(c => Quote(c.GetColumnName())))}) VALUES ({string.Join(", ", _names)});";
        }

        public string Sql { get; }

        public void Bind(DbCommand command, object?[] values)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = _names[i];
                parameter.Value = values[i] is { } value ? _columns[i].GetTypeMapping().Converter?.ConvertToProvider(value) ?? value : DBNull.Value;
                command.Parameters.Add(parameter);
            }
        }
    }
}
