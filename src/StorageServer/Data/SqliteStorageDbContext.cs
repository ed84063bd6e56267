using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace StorageServer.Data;

/// <summary>The embedded default: one SQLite file in the data directory.</summary>
public sealed class SqliteStorageDbContext(DbContextOptions<SqliteStorageDbContext> options) : StorageDbContext(options)
{
    // Extended result codes: only UNIQUE and PRIMARY KEY violations are duplicates; a foreign-key
    // or NOT NULL failure is a bug and must not be reported as "already exists".
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };

    /// <summary>
    /// <c>synchronous=NORMAL</c> for this one commit: in WAL mode the commit is visible to every
    /// other connection when it returns, and the WAL is fsynced by the next FULL commit or
    /// checkpoint instead. The setting is per connection and connections are pooled, so FULL is
    /// restored before the connection goes back to the pool (and <see cref="SqliteConnectionPragmas"/>
    /// sets FULL again on every open, should the restore itself fail).
    /// </summary>
    public override async Task SaveChangesWithoutFlushAsync(CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Plain commands on the open connection, not EF's raw SQL pipeline (issue 17: uploads
            // committed their lease rows through here before leases moved into the server's memory on SQLite).
            await PragmaAsync("PRAGMA synchronous = NORMAL;", cancellationToken);
            try
            {
                await SaveChangesAsync(cancellationToken);
            }
            finally
            {
                await PragmaAsync(SqliteConnectionPragmas.DurableCommits, CancellationToken.None);
            }
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    private async Task PragmaAsync(string pragma, CancellationToken cancellationToken)
    {
        await using var command = Database.GetDbConnection().CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; store a sortable long (all our timestamps are UTC) so queries translate.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
