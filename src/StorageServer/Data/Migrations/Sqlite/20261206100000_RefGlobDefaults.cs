using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>Protected refs stored as the old default (<c>refs/heads/*</c>, <c>refs/tags/*</c>) become every branch and tag at any depth (<c>**</c>).</summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261206100000_RefGlobDefaults")]
public sealed class RefGlobDefaults : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(ProtectedRefDefaults.UpdateSql("char(10)"));

    // Nothing to undo: which lines were the old default is not recorded, and the wider globs protect more.
    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
