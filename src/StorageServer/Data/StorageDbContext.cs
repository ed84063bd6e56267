using Microsoft.EntityFrameworkCore;
using StorageServer.Data.Entities;

namespace StorageServer.Data;

/// <summary>
/// The metadata model, shared by every database provider. Each provider has a subclass that
/// owns its hand-written migrations (see <see cref="SqliteStorageDbContext"/>).
/// </summary>
public abstract class StorageDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Repository> Repositories => Set<Repository>();

    public DbSet<StoredObject> Objects => Set<StoredObject>();

    public DbSet<RepoObject> RepoObjects => Set<RepoObject>();

    public DbSet<PointerRef> PointerRefs => Set<PointerRef>();

    public DbSet<FileLock> Locks => Set<FileLock>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    /// <summary>True when <paramref name="exception"/> is this provider's unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(StorageDbContext).Assembly);
    }
}
