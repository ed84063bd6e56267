using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using StorageServer.Data.Entities;
using StorageServer.WebConsole.Sessions;

namespace StorageServer.Data;

/// <summary>
/// The metadata model, shared by every database provider. Each provider has a subclass that
/// owns its hand-written migrations (see <see cref="SqliteStorageDbContext"/>).
/// </summary>
public abstract class StorageDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Repository> Repositories => Set<Repository>();

    public DbSet<StoredObject> Objects => Set<StoredObject>();

    public DbSet<RepoObject> RepoObjects => Set<RepoObject>();

    public DbSet<PointerRef> PointerRefs => Set<PointerRef>();

    public DbSet<FileLock> Locks => Set<FileLock>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<JobRun> JobRuns => Set<JobRun>();

    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();

    public DbSet<ConsoleSession> ConsoleSessions => Set<ConsoleSession>();

    /// <summary>The web console's data-protection key ring (<see cref="IDataProtectionKeyContext"/>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>True when <paramref name="exception"/> is this provider's unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>
    /// Saves the tracked changes in a commit of their own that other connections see at once but
    /// that need not wait for its write-ahead log to reach the disk: a crash may lose it (PostgreSQL;
    /// SQLite commits durably, see <see cref="SqliteStorageDbContext"/>). Only for
    /// rows whose loss in a crash loses nothing (an upload lease protects bytes that a crash would
    /// leave unacknowledged anyway). Not inside a caller's transaction. The next durable commit on
    /// the database flushes it along (one log, written in order).
    /// </summary>
    public abstract Task SaveChangesWithoutFlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes sure the database exists and holds a lock, shared by every node, from now until the
    /// result is disposed, so nodes starting together migrate one after the other. The default
    /// relies on EF Core's own migration lock, which is enough where it spans the whole migration.
    /// </summary>
    public virtual Task<IAsyncDisposable> AcquireMigrationLockAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    /// <summary>Contexts built outside the server's pools (design time, tools, tests) get the lookup here.</summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (!MetadataMigrationsAssembly.IsUsedBy(optionsBuilder.Options))
        {
            MetadataMigrationsAssembly.UseIn(optionsBuilder);
        }
    }

    /// <summary>
    /// Every <see cref="IEntityTypeConfiguration{TEntity}"/> of this assembly (each feature keeps its
    /// own), applied as <c>ApplyConfigurationsFromAssembly</c> would, in the same order, but found
    /// without loading every type (<see cref="AssemblyMetadataTypes"/>).
    /// </summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var apply = typeof(ModelBuilder).GetMethods().Single(m => m.Name == nameof(ModelBuilder.ApplyConfiguration)
            && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>));
        var configurations = AssemblyMetadataTypes.Implementing(typeof(StorageDbContext).Assembly, typeof(IEntityTypeConfiguration<>))
            .Where(type => type.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(type => type.FullName, StringComparer.Ordinal);
        foreach (var type in configurations)
        {
            foreach (var entity in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>)))
            {
                apply.MakeGenericMethod(entity.GenericTypeArguments[0]).Invoke(modelBuilder, [Activator.CreateInstance(type)]);
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
