using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace StorageServer.Data;

/// <summary>
/// A session-level <c>pg_advisory_lock</c> held on the context's connection around a whole
/// migration run. EF Core 10 with Npgsql 10 locks only per migration transaction
/// (<c>LOCK TABLE "__EFMigrationsHistory"</c>) after reading the history once, so two nodes
/// starting together can both plan the same later migration and one fails with 42P07
/// (ConcurrentMigrationTests shows it). PostgreSQL releases the lock itself if the session dies.
/// Needs a session-pooling connection (direct, or PgBouncer in session mode).
/// </summary>
internal sealed class PostgresMigrationLock : IAsyncDisposable
{
    /// <summary>Arbitrary, fixed: "StorSrvr" in ASCII. Only StorageServer's migrator takes it.</summary>
    private const long Key = 0x53746F7253727672;

    private readonly DatabaseFacade _database;

    private PostgresMigrationLock(DatabaseFacade database) => _database = database;

    public static async Task<IAsyncDisposable> AcquireAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await EnsureDatabaseExistsAsync(database, cancellationToken);
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({Key})", cancellationToken);
        }
        catch
        {
            await database.CloseConnectionAsync();
            throw;
        }
        return new PostgresMigrationLock(database);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({Key})");
        }
        catch (NpgsqlException)
        {
            // Keep the migration's own exception. Closing resets the pooled session (DISCARD ALL)
            // and a dead session holds no locks, so the lock is released either way.
        }
        finally
        {
            await _database.CloseConnectionAsync();
        }
    }

    /// <summary>The lock needs a connection to the database, so create it first, as Migrate would.</summary>
    private static async Task EnsureDatabaseExistsAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        var creator = database.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another node created it first.
        }
    }
}
