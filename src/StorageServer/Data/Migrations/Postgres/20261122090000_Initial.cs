using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>
/// Written by hand (EF's design-time tools do not restore here), mirroring the SQLite migration of
/// the same id table for table. Timestamps are <c>timestamp with time zone</c>, ids identity columns,
/// enums integers.
/// </summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122090000_Initial")]
public sealed class Initial : Migration
{
    private const string Identity = "Npgsql:ValueGenerationStrategy";
    private const string Timestamp = "timestamp with time zone";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "repositories",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation(Identity, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Name = table.Column<string>(type: "character varying(201)", maxLength: 201, nullable: false),
                AllowAnonymousRead = table.Column<bool>(type: "boolean", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_repositories", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_repositories_Name", table: "repositories", column: "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "objects",
            columns: table => new
            {
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "bigint", nullable: false),
                State = table.Column<int>(type: "integer", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                StateChangedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_objects", x => x.Oid));
        migrationBuilder.CreateIndex(name: "IX_objects_State", table: "objects", column: "State");

        migrationBuilder.CreateTable(
            name: "repo_objects",
            columns: table => new
            {
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                UploadedBy = table.Column<string>(type: "text", nullable: false),
                UploadedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                FirstRef = table.Column<string>(type: "text", nullable: true),
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
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation(Identity, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                CommitSha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Path = table.Column<string>(type: "text", nullable: false),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "bigint", nullable: false),
                IndexedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
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
                Id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                Path = table.Column<string>(type: "text", nullable: false),
                Owner = table.Column<string>(type: "text", nullable: false),
                RefName = table.Column<string>(type: "text", nullable: true),
                LockedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
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
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation(Identity, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                User = table.Column<string>(type: "text", nullable: false),
                ScopesJson = table.Column<string>(type: "text", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                ExpiresAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: true),
                RevokedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: true),
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
