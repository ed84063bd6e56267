using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>
/// Written by hand: EF's design-time tools do not restore here. Timestamps are sortable longs
/// (INTEGER) so SQLite can compare them; enums are integers.
/// </summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261122090000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "repositories",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Name = table.Column<string>(type: "TEXT", maxLength: 201, nullable: false),
                AllowAnonymousRead = table.Column<bool>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_repositories", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_repositories_Name", table: "repositories", column: "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "objects",
            columns: table => new
            {
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "INTEGER", nullable: false),
                State = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                StateChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_objects", x => x.Oid));
        migrationBuilder.CreateIndex(name: "IX_objects_State", table: "objects", column: "State");

        migrationBuilder.CreateTable(
            name: "repo_objects",
            columns: table => new
            {
                RepositoryId = table.Column<long>(type: "INTEGER", nullable: false),
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                UploadedBy = table.Column<string>(type: "TEXT", nullable: false),
                UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                FirstRef = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_repo_objects", x => new { x.RepositoryId, x.Oid });
                table.ForeignKey("FK_repo_objects_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_repo_objects_objects_Oid", x => x.Oid, "objects", "Oid", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex(name: "IX_repo_objects_Oid", table: "repo_objects", column: "Oid");

        migrationBuilder.CreateTable(
            name: "pointer_refs",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                RepositoryId = table.Column<long>(type: "INTEGER", nullable: false),
                CommitSha = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Path = table.Column<string>(type: "TEXT", nullable: false),
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "INTEGER", nullable: false),
                IndexedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_pointer_refs", x => x.Id);
                table.ForeignKey("FK_pointer_refs_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_pointer_refs_RepositoryId_CommitSha_Path", table: "pointer_refs", columns: ["RepositoryId", "CommitSha", "Path"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_pointer_refs_RepositoryId_Oid", table: "pointer_refs", columns: ["RepositoryId", "Oid"]);

        migrationBuilder.CreateTable(
            name: "locks",
            columns: table => new
            {
                Id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                RepositoryId = table.Column<long>(type: "INTEGER", nullable: false),
                Path = table.Column<string>(type: "TEXT", nullable: false),
                Owner = table.Column<string>(type: "TEXT", nullable: false),
                RefName = table.Column<string>(type: "TEXT", nullable: true),
                LockedAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_locks", x => x.Id);
                table.ForeignKey("FK_locks_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_locks_RepositoryId_Path", table: "locks", columns: ["RepositoryId", "Path"], unique: true);

        migrationBuilder.CreateTable(
            name: "access_tokens",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                User = table.Column<string>(type: "TEXT", nullable: false),
                ScopesJson = table.Column<string>(type: "TEXT", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_access_tokens", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_access_tokens_Hash", table: "access_tokens", column: "Hash", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "access_tokens");
        migrationBuilder.DropTable(name: "locks");
        migrationBuilder.DropTable(name: "pointer_refs");
        migrationBuilder.DropTable(name: "repo_objects");
        migrationBuilder.DropTable(name: "objects");
        migrationBuilder.DropTable(name: "repositories");
    }
}
