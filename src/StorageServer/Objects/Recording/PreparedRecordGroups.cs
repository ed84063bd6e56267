using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using StorageServer.Data.Entities;
using static StorageServer.Data.SqlIdentifiers;

namespace StorageServer.Objects.Recording;

/// <summary>
/// Group commits of upload records on SQLite through statements prepared once, on a connection the
/// group commit keeps for the server's life (issue 17: EF and Microsoft.Data.Sqlite prepared each
/// group's SAVEPOINT, SELECT and INSERTs again on every run). The same rows and outcomes as
/// <see cref="ObjectRecorder.RecordWithinAsync"/>: the object row added or revived as live, the
/// repository's claim, nothing for an object an erasure restricted or purged. Leases live in process
/// on SQLite and go once the commit returned, so none is written here. One group at a time: callers
/// hold the <see cref="Data.SqliteWriteGate"/>.
/// </summary>
internal sealed class PreparedRecordGroups(string connectionString, IModel model, TimeProvider clock) : IDisposable
{
    private const int ConstraintFailed = 19; // SQLITE_CONSTRAINT

    private SqliteConnection? _connection;
    private Statements? _statements;

    /// <summary>
    /// Commits <paramref name="group"/> in one transaction and sets each record's result; per record, the
    /// constraint failure that rolled it back alone (or null). Throws when the transaction itself failed:
    /// then nothing of it committed.
    /// </summary>
    public Exception?[] Commit(IReadOnlyList<UploadRecordGroups.PendingRecord> group)
    {
        var statements = _statements ??= Open();
        try
        {
            statements.Begin.Execute();
            var failures = group.Select(pending => RecordWithSavepoint(statements, pending)).ToArray();
            statements.Commit.Execute();
            return failures;
        }
        catch
        {
            // In a transaction or broken: closing rolls back; the next group opens a fresh connection.
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        (_connection, _statements) = (null, null);
    }

    /// <summary>One record under a savepoint of its own, so its constraint failure leaves the group's other records.</summary>
    private DbUpdateException? RecordWithSavepoint(Statements statements, UploadRecordGroups.PendingRecord pending)
    {
        statements.Savepoint.Execute();
        try
        {
            pending.Result = Record(statements, pending.Record);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == ConstraintFailed)
        {
            statements.RollbackToSavepoint.Execute();
            statements.ReleaseSavepoint.Execute();
            // As SaveChanges would report it. No retry: the group holds SQLite's one write lock, so
            // nothing else can insert the conflicting row between a retry's read and write.
            return new DbUpdateException(e.Message, e);
        }
        statements.ReleaseSavepoint.Execute();
        return null;
    }

    private RecordOutcome Record(Statements statements, UploadRecord record)
    {
        var now = clock.GetUtcNow();
        var oid = record.Oid.Value;
        ObjectState? state = null;
        var claimed = false;
        using (var found = statements.FindObjectAndClaim.Read(oid, record.RepositoryId))
        {
            if (found.Read())
            {
                state = statements.StateOf(found.GetValue(0));
                claimed = found.GetBoolean(1);
            }
        }
        switch (state)
        {
            case ObjectState.Restricted:
                return RecordOutcome.Restricted;
            case ObjectState.Purged:
                return RecordOutcome.Purged;
            case null:
                statements.InsertObject.Execute(oid, record.Size, ObjectState.Live, now, now);
                break;
            case not ObjectState.Live:
                statements.ReviveObject.Execute(ObjectState.Live, record.Size, now, oid);
                break;
        }
        if (!claimed)
        {
            statements.InsertClaim.Execute(record.RepositoryId, oid, record.User, now, record.FirstRef);
        }
        return RecordOutcome.Recorded;
    }

    private Statements Open()
    {
        // Not pooled: closing this connection must close it (and roll back what it had in flight).
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                // What every server connection gets (SqliteConnectionPragmas), and EF's foreign keys.
                pragmas.CommandText = $"{Data.SqliteConnectionPragmas.For(connection.DefaultTimeout)} PRAGMA foreign_keys = ON;";
                pragmas.ExecuteNonQuery();
            }
            _connection = connection;
            return new Statements(connection, model);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The group's statements, spelled from the EF model so the schema is still spelled once there.</summary>
    private sealed class Statements
    {
        public Statements(SqliteConnection connection, IModel model)
        {
            var objects = model.FindEntityType(typeof(StoredObject))!;
            var claims = model.FindEntityType(typeof(RepoObject))!;
            var (objectTable, claimTable) = (Quote(objects.GetTableName()!), Quote(claims.GetTableName()!));
            var (oid, size, state, created, changed) = (Column(objects, nameof(StoredObject.Oid)), Column(objects, nameof(StoredObject.Size)),
                Column(objects, nameof(StoredObject.State)), Column(objects, nameof(StoredObject.CreatedAt)), Column(objects, nameof(StoredObject.StateChangedAt)));
            var (repository, claimOid, by, at, firstRef) = (Column(claims, nameof(RepoObject.RepositoryId)), Column(claims, nameof(RepoObject.Oid)),
                Column(claims, nameof(RepoObject.UploadedBy)), Column(claims, nameof(RepoObject.UploadedAt)), Column(claims, nameof(RepoObject.FirstRef)));
            _stateMapping = state.Property;
            Begin = new PreparedStatement(connection, "BEGIN IMMEDIATE");
            Commit = new PreparedStatement(connection, "COMMIT");
            Savepoint = new PreparedStatement(connection, "SAVEPOINT upload_record");
            RollbackToSavepoint = new PreparedStatement(connection, "ROLLBACK TO upload_record");
            ReleaseSavepoint = new PreparedStatement(connection, "RELEASE upload_record");
            FindObjectAndClaim = new PreparedStatement(connection,
                $"SELECT o.{state.Name}, EXISTS (SELECT 1 FROM {claimTable} c WHERE c.{repository.Name} = @repository AND c.{claimOid.Name} = @oid) " +
                $"FROM {objectTable} o WHERE o.{oid.Name} = @oid",
                ("@oid", oid.Property), ("@repository", repository.Property));
            InsertObject = Insert(connection, objectTable, oid, size, state, created, changed);
            ReviveObject = new PreparedStatement(connection,
                $"UPDATE {objectTable} SET {state.Name} = @state, {size.Name} = @size, {changed.Name} = @changed WHERE {oid.Name} = @oid",
                ("@state", state.Property), ("@size", size.Property), ("@changed", changed.Property), ("@oid", oid.Property));
            InsertClaim = Insert(connection, claimTable, repository, claimOid, by, at, firstRef);
        }

        private readonly IProperty _stateMapping;

        public PreparedStatement Begin { get; }
        public PreparedStatement Commit { get; }
        public PreparedStatement Savepoint { get; }
        public PreparedStatement RollbackToSavepoint { get; }
        public PreparedStatement ReleaseSavepoint { get; }
        public PreparedStatement FindObjectAndClaim { get; }
        public PreparedStatement InsertObject { get; }
        public PreparedStatement ReviveObject { get; }
        public PreparedStatement InsertClaim { get; }

        /// <summary>The stored state as EF reads it (SQLite hands every integer back as a long).</summary>
        public ObjectState StateOf(object value) => _stateMapping.GetTypeMapping().Converter is { } converter
            ? (ObjectState)converter.ConvertFromProvider(Convert.ChangeType(value, converter.ProviderClrType, CultureInfo.InvariantCulture))!
            : (ObjectState)Convert.ToInt32(value, CultureInfo.InvariantCulture);

        private static (string Name, IProperty Property) Column(IEntityType entity, string property)
        {
            var found = entity.FindProperty(property)!;
            return (Quote(found.GetColumnName()), found);
        }

        private static PreparedStatement Insert(SqliteConnection connection, string table, params (string Name, IProperty Property)[] columns)
        {
            var names = columns.Select((_, i) => $"@p{i}").ToArray();
            return new PreparedStatement(connection,
                $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", names)})",
                columns.Select((c, i) => (names[i], c.Property)).ToArray());
        }
    }
}
