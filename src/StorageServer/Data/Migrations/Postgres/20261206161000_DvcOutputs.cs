using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>DVC indexing: the outputs each pushed commit introduced, and each repository's push-check setting.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261206161000_DvcOutputs")]
public sealed class DvcOutputs : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "dvc_outputs",
            columns: table => new
            {
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                CommitSha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Path = table.Column<string>(type: "text", nullable: false),
                Legacy = table.Column<bool>(type: "boolean", nullable: false),
                Hash = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                MetadataPath = table.Column<string>(type: "text", nullable: false),
                IndexedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_dvc_outputs", x => new { x.RepositoryId, x.CommitSha, x.Path });
                table.ForeignKey("FK_dvc_outputs_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_dvc_outputs_RepositoryId_Legacy_Hash", table: "dvc_outputs", columns: ["RepositoryId", "Legacy", "Hash"]);

        migrationBuilder.CreateTable(
            name: "dvc_repository_settings",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                PushCheck = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                UpdatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_dvc_repository_settings", x => x.Id);
                table.ForeignKey("FK_dvc_repository_settings_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_dvc_repository_settings_RepositoryId", table: "dvc_repository_settings", column: "RepositoryId", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "dvc_repository_settings");
        migrationBuilder.DropTable(name: "dvc_outputs");
    }
}
