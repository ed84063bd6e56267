using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>The DVC remote: each repository's MD5 → SHA-256 mapping, and the entries of stored directory manifests.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261206160000_DvcObjects")]
public sealed class DvcObjects : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "dvc_objects",
            columns: table => new
            {
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                Legacy = table.Column<bool>(type: "boolean", nullable: false),
                Hash = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "bigint", nullable: false),
                UploadedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_dvc_objects", x => new { x.RepositoryId, x.Legacy, x.Hash });
                table.ForeignKey("FK_dvc_objects_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_dvc_objects_Oid", table: "dvc_objects", column: "Oid");

        migrationBuilder.CreateTable(
            name: "dvc_manifest_entries",
            columns: table => new
            {
                ManifestOid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Relpath = table.Column<string>(type: "text", nullable: false),
                Md5 = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_dvc_manifest_entries", x => new { x.ManifestOid, x.Relpath }));
        migrationBuilder.CreateIndex(name: "IX_dvc_manifest_entries_Md5", table: "dvc_manifest_entries", column: "Md5");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "dvc_manifest_entries");
        migrationBuilder.DropTable(name: "dvc_objects");
    }
}
