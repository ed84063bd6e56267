using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace StorageServer.Data.DesignTime;

/// <summary>
/// How <c>dotnet ef</c> builds the PostgreSQL context: the provider and model of the running
/// server, with a connection string nothing opens (adding a migration only compares the model
/// with the snapshot in <c>Data/Migrations/Postgres</c>).
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresStorageDbContext>
{
    public PostgresStorageDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresStorageDbContext>().UseNpgsql("Host=localhost;Database=storageserver_design_time").Options);
}
