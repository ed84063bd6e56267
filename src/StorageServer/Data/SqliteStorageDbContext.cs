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
    /// A durable commit on SQLite: nothing uses a commit without a flush here (upload leases live in
    /// the server's memory on SQLite), and <see cref="SqliteConnectionPragmas"/> sets
    /// <c>synchronous = FULL</c> once per native connection, so no commit may lower it on a pooled
    /// connection. A durable commit is also seen by every other connection when it returns.
    /// </summary>
    public override Task SaveChangesWithoutFlushAsync(CancellationToken cancellationToken) => SaveChangesAsync(cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset; store a sortable long (all our timestamps are UTC) so queries translate.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
