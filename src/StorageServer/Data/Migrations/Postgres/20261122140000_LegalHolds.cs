using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>Legal holds: what retention, admins and erasure must not delete while a case is open.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122140000_LegalHolds")]
public sealed class LegalHolds : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "legal_holds",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                CaseReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                RepositoryId = table.Column<long>(type: "bigint", nullable: true),
                PathGlob = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                Reason = table.Column<string>(type: "text", nullable: true),
                CreatedBy = table.Column<string>(type: "text", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                ReleasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                ReleasedBy = table.Column<string>(type: "text", nullable: true),
                ReleaseReason = table.Column<string>(type: "text", nullable: true),
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
