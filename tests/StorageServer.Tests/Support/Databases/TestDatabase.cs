using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StorageServer.Data;

namespace StorageServer.Tests.Support.Databases;

/// <summary>
/// One empty database of one provider, owned by one test class (use it as a class fixture).
/// Repository-level tests are written once against this and run on every provider through a
/// subclass per provider, so SQLite and PostgreSQL are held to the same behaviour.
/// </summary>
public abstract class TestDatabase : IAsyncLifetime
{
    /// <summary>Configuration that points a <see cref="StorageServerFactory"/> at this database.</summary>
    public abstract IDictionary<string, string?> ServerSettings { get; }

    /// <summary>A new context over this database, as the server would configure it; not migrated.</summary>
    public abstract StorageDbContext CreateContext(params IInterceptor[] interceptors);

    /// <summary>The schema actually in the database, in the line format of <see cref="SchemaDescription"/>.</summary>
    public abstract Task<IReadOnlyList<string>> ReadSchemaAsync();

    /// <summary>Removes the database entirely, so the next migration has to create it.</summary>
    public abstract Task DeleteAsync();

    public async Task<StorageDbContext> CreateMigratedContextAsync()
    {
        var db = CreateContext();
        await db.Database.MigrateAsync();
        return db;
    }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}
