using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace StorageServer.Data.DesignTime;

/// <summary>
/// How <c>dotnet ef</c> builds the SQLite context: the provider and model of the running server,
/// with a connection string nothing opens (adding a migration only compares the model with the
/// snapshot in <c>Data/Migrations/Sqlite</c>).
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteStorageDbContext>
{
    public SqliteStorageDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteStorageDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
