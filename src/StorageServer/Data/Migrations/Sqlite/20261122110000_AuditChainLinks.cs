using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>At most one audit entry after each predecessor, so nodes appending together cannot fork the chain.</summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261122110000_AuditChainLinks")]
public sealed class AuditChainLinks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(name: "IX_audit_events_PreviousHash", table: "audit_events", column: "PreviousHash", unique: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropIndex(name: "IX_audit_events_PreviousHash", table: "audit_events");
}
