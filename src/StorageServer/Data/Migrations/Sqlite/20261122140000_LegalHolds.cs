using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>Legal holds: what retention, admins and erasure must not delete while a case is open.</summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261122140000_LegalHolds")]
public sealed class LegalHolds : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "legal_holds",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                CaseReference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                RepositoryId = table.Column<long>(type: "INTEGER", nullable: true),
                PathGlob = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                Reason = table.Column<string>(type: "TEXT", nullable: true),
                CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                ReleasedBy = table.Column<string>(type: "TEXT", nullable: true),
                ReleaseReason = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_legal_holds", x => x.Id);
                table.ForeignKey("FK_legal_holds_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex(name: "IX_legal_holds_ReleasedAt", table: "legal_holds", column: "ReleasedAt");
        migrationBuilder.CreateIndex(name: "IX_legal_holds_RepositoryId", table: "legal_holds", column: "RepositoryId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "legal_holds");
}
