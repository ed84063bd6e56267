using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>Retention: policies, the per-repo reachability clock, runs, trash, upload leases and sweep fences.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122150000_Retention")]
public sealed class Retention : Migration
{
    private const string Identity = "Npgsql:ValueGenerationStrategy";
    private const string Timestamp = "timestamp with time zone";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "retention_policies",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation(Identity, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                RepositoryId = table.Column<long>(type: "bigint", nullable: true),
                RefGlob = table.Column<string>(type: "text", nullable: true),
                PathGlob = table.Column<string>(type: "text", nullable: true),
                ProtectedRefs = table.Column<string>(type: "text", nullable: true),
                KeepDaysAfterDereference = table.Column<int>(type: "integer", nullable: true),
                KeepLastVersions = table.Column<int>(type: "integer", nullable: true),
                MaxAgeDays = table.Column<int>(type: "integer", nullable: true),
                OrphanGraceHours = table.Column<int>(type: "integer", nullable: true),
                Enabled = table.Column<bool>(type: "boolean", nullable: false),
                Version = table.Column<int>(type: "integer", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                UpdatedBy = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_retention_policies", x => x.Id);
                table.ForeignKey("FK_retention_policies_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_retention_policies_RepositoryId", table: "retention_policies", column: "RepositoryId");

        migrationBuilder.CreateTable(
            name: "retention_reachability",
            columns: table => new
            {
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "bigint", nullable: false),
                ReferencedByTip = table.Column<bool>(type: "boolean", nullable: false),
                FirstSeenAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                UnreferencedSince = table.Column<DateTimeOffset>(type: Timestamp, nullable: true),
                LastRef = table.Column<string>(type: "text", nullable: true),
                LastPath = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_retention_reachability", x => new { x.RepositoryId, x.Oid });
                table.ForeignKey("FK_retention_reachability_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_retention_reachability_Oid", table: "retention_reachability", column: "Oid");

        migrationBuilder.CreateTable(
            name: "retention_runs",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation(Identity, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Kind = table.Column<int>(type: "integer", nullable: false),
                DryRun = table.Column<bool>(type: "boolean", nullable: false),
                State = table.Column<int>(type: "integer", nullable: false),
                Repository = table.Column<string>(type: "text", nullable: true),
                RequestedBy = table.Column<string>(type: "text", nullable: true),
                JobRunId = table.Column<long>(type: "bigint", nullable: true),
                StartedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                FinishedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: true),
                Candidates = table.Column<long>(type: "bigint", nullable: false),
                CandidateBytes = table.Column<long>(type: "bigint", nullable: false),
                Trashed = table.Column<long>(type: "bigint", nullable: false),
                TrashedBytes = table.Column<long>(type: "bigint", nullable: false),
                Held = table.Column<long>(type: "bigint", nullable: false),
                FilesExpired = table.Column<long>(type: "bigint", nullable: false),
                Swept = table.Column<long>(type: "bigint", nullable: false),
                SweptBytes = table.Column<long>(type: "bigint", nullable: false),
                ClaimsReleased = table.Column<long>(type: "bigint", nullable: false),
                SkippedRevived = table.Column<long>(type: "bigint", nullable: false),
                SkippedBusy = table.Column<long>(type: "bigint", nullable: false),
                Errors = table.Column<long>(type: "bigint", nullable: false),
                Error = table.Column<string>(type: "text", nullable: true),
                PoliciesJson = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_retention_runs", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_retention_runs_JobRunId", table: "retention_runs", column: "JobRunId");

        migrationBuilder.CreateTable(
            name: "retention_trash",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation(Identity, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                RunId = table.Column<long>(type: "bigint", nullable: false),
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "bigint", nullable: false),
                Path = table.Column<string>(type: "text", nullable: true),
                UploadedBy = table.Column<string>(type: "text", nullable: false),
                UploadedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                FirstRef = table.Column<string>(type: "text", nullable: true),
                TrashedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                RestoreUntil = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                State = table.Column<int>(type: "integer", nullable: false),
                ResolvedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: true),
                ResolvedBy = table.Column<string>(type: "text", nullable: true),
                SweepRunId = table.Column<long>(type: "bigint", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_retention_trash", x => x.Id);
                table.ForeignKey("FK_retention_trash_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_retention_trash_State_RestoreUntil", table: "retention_trash", columns: ["State", "RestoreUntil"]);
        migrationBuilder.CreateIndex(name: "IX_retention_trash_Oid", table: "retention_trash", column: "Oid");
        migrationBuilder.CreateIndex(name: "IX_retention_trash_RepositoryId_Oid", table: "retention_trash", columns: ["RepositoryId", "Oid"]);

        migrationBuilder.CreateTable(
            name: "object_upload_leases",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation(Identity, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                StartedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
                ExpiresAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_object_upload_leases", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_object_upload_leases_Oid", table: "object_upload_leases", column: "Oid");

        migrationBuilder.CreateTable(
            name: "retention_sweep_fences",
            columns: table => new
            {
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                RunId = table.Column<long>(type: "bigint", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: Timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_retention_sweep_fences", x => x.Oid));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "retention_sweep_fences");
        migrationBuilder.DropTable(name: "object_upload_leases");
        migrationBuilder.DropTable(name: "retention_trash");
        migrationBuilder.DropTable(name: "retention_runs");
        migrationBuilder.DropTable(name: "retention_reachability");
        migrationBuilder.DropTable(name: "retention_policies");
    }
}
