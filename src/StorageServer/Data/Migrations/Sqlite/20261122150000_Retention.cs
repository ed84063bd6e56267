using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>Retention: policies, the per-repo reachability clock, runs, trash, upload leases and sweep fences.</summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261122150000_Retention")]
public sealed class Retention : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "retention_policies",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                RepositoryId = table.Column<long>(type: "INTEGER", nullable: true),
                RefGlob = table.Column<string>(type: "TEXT", nullable: true),
                PathGlob = table.Column<string>(type: "TEXT", nullable: true),
                ProtectedRefs = table.Column<string>(type: "TEXT", nullable: true),
                KeepDaysAfterDereference = table.Column<int>(type: "INTEGER", nullable: true),
                KeepLastVersions = table.Column<int>(type: "INTEGER", nullable: true),
                MaxAgeDays = table.Column<int>(type: "INTEGER", nullable: true),
                OrphanGraceHours = table.Column<int>(type: "INTEGER", nullable: true),
                Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                Version = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedBy = table.Column<string>(type: "TEXT", nullable: false),
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
                RepositoryId = table.Column<long>(type: "INTEGER", nullable: false),
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "INTEGER", nullable: false),
                ReferencedByTip = table.Column<bool>(type: "INTEGER", nullable: false),
                FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                UnreferencedSince = table.Column<long>(type: "INTEGER", nullable: true),
                LastRef = table.Column<string>(type: "TEXT", nullable: true),
                LastPath = table.Column<string>(type: "TEXT", nullable: true),
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
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Kind = table.Column<int>(type: "INTEGER", nullable: false),
                DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                State = table.Column<int>(type: "INTEGER", nullable: false),
                Repository = table.Column<string>(type: "TEXT", nullable: true),
                RequestedBy = table.Column<string>(type: "TEXT", nullable: true),
                JobRunId = table.Column<long>(type: "INTEGER", nullable: true),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                Candidates = table.Column<long>(type: "INTEGER", nullable: false),
                CandidateBytes = table.Column<long>(type: "INTEGER", nullable: false),
                Trashed = table.Column<long>(type: "INTEGER", nullable: false),
                TrashedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                Held = table.Column<long>(type: "INTEGER", nullable: false),
                FilesExpired = table.Column<long>(type: "INTEGER", nullable: false),
                Swept = table.Column<long>(type: "INTEGER", nullable: false),
                SweptBytes = table.Column<long>(type: "INTEGER", nullable: false),
                ClaimsReleased = table.Column<long>(type: "INTEGER", nullable: false),
                SkippedRevived = table.Column<long>(type: "INTEGER", nullable: false),
                SkippedBusy = table.Column<long>(type: "INTEGER", nullable: false),
                Errors = table.Column<long>(type: "INTEGER", nullable: false),
                Error = table.Column<string>(type: "TEXT", nullable: true),
                PoliciesJson = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_retention_runs", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_retention_runs_JobRunId", table: "retention_runs", column: "JobRunId");

        migrationBuilder.CreateTable(
            name: "retention_trash",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                RunId = table.Column<long>(type: "INTEGER", nullable: false),
                RepositoryId = table.Column<long>(type: "INTEGER", nullable: false),
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Size = table.Column<long>(type: "INTEGER", nullable: false),
                Path = table.Column<string>(type: "TEXT", nullable: true),
                UploadedBy = table.Column<string>(type: "TEXT", nullable: false),
                UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                FirstRef = table.Column<string>(type: "TEXT", nullable: true),
                TrashedAt = table.Column<long>(type: "INTEGER", nullable: false),
                RestoreUntil = table.Column<long>(type: "INTEGER", nullable: false),
                State = table.Column<int>(type: "INTEGER", nullable: false),
                ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                ResolvedBy = table.Column<string>(type: "TEXT", nullable: true),
                SweepRunId = table.Column<long>(type: "INTEGER", nullable: true),
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
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                Node = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_object_upload_leases", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_object_upload_leases_Oid", table: "object_upload_leases", column: "Oid");

        migrationBuilder.CreateTable(
            name: "retention_sweep_fences",
            columns: table => new
            {
                Oid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                RunId = table.Column<long>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
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
