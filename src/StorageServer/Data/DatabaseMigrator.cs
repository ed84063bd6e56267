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
        // Nodes starting together: EF Core 9+ locks the database around migrations (SQLite: the
        // __EFMigrationsLock table, held for the whole run), but Npgsql's lock covers one migration
        // transaction at a time, so PostgreSQL adds an advisory lock around the whole run.
        // ConcurrentMigrationTests holds both providers to it.
        await using (await db.AcquireMigrationLockAsync(cancellationToken))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} database migrations: {Migrations}", pending.Count, pending);
                await db.Database.MigrateAsync(cancellationToken);
            }
            // Nothing pending: nothing written (EF's migrate would still take its lock by inserting a
            // row), so a node restarts on a full disk.
        }
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (downloads, batch) proceed while a push is being indexed.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
