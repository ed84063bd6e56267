using Microsoft.EntityFrameworkCore;

namespace StorageServer.Data;

/// <summary>
/// Applies pending migrations before the server accepts requests. A hosted service's StartAsync
/// completes before Kestrel starts listening, so no request ever sees an old schema.
/// </summary>
internal sealed class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migrations: {Migrations}", pending.Count, pending);
        }
        // Safe when several nodes start together: EF Core 9+ takes a database lock around migration
        // (SQLite: the __EFMigrationsLock table; PostgreSQL via Npgsql: LOCK TABLE "__EFMigrationsHistory"
        // IN ACCESS EXCLUSIVE MODE inside each migration's transaction, re-reading the history after
        // locking). ConcurrentMigrationTests proves it for PostgreSQL.
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (downloads, batch) proceed while a push is being indexed.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
