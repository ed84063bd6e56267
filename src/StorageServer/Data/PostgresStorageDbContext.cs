using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace StorageServer.Data;

/// <summary>
/// The scale-out database: PostgreSQL, shared by every node. Timestamps are native
/// <c>timestamp with time zone</c> columns.
/// </summary>
public sealed class PostgresStorageDbContext(DbContextOptions<PostgresStorageDbContext> options) : StorageDbContext(options)
{
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// <c>synchronous_commit = off</c> for this one transaction (<c>SET LOCAL</c>: it ends with the
    /// commit, so the pooled connection's next transaction is durable again). An asynchronous
    /// commit is visible to every session at once; the WAL writer flushes it within moments.
    /// </summary>
    public override async Task SaveChangesWithoutFlushAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off;", cancellationToken);
        await SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc cref="PostgresMigrationLock"/>
    public override Task<IAsyncDisposable> AcquireMigrationLockAsync(CancellationToken cancellationToken) =>
        PostgresMigrationLock.AcquireAsync(Database, cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Npgsql writes only UTC DateTimeOffsets to timestamptz; normalising here covers every write
        // and query parameter, including caller-supplied values such as a token's expiry.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetConverter>();
    }

    // Internal, not private: the compiled model (Data/CompiledModels/Postgres) constructs it.
    internal sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        value => value.ToUniversalTime(),
        value => value.ToUniversalTime());
}
