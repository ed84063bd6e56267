using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>The history of background job runs (state, progress, who asked).</summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261122130000_JobRuns")]
public sealed class JobRuns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "job_runs",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Job = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                Trigger = table.Column<int>(type: "INTEGER", nullable: false),
                RequestedBy = table.Column<string>(type: "TEXT", nullable: true),
                ParametersJson = table.Column<string>(type: "TEXT", nullable: true),
                State = table.Column<int>(type: "INTEGER", nullable: false),
                ProgressDone = table.Column<long>(type: "INTEGER", nullable: false),
                ProgressTotal = table.Column<long>(type: "INTEGER", nullable: true),
                ProgressMessage = table.Column<string>(type: "TEXT", nullable: true),
                Node = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                FireInstanceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                Error = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_job_runs", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_job_runs_Job_Id", table: "job_runs", columns: ["Job", "Id"]);
        migrationBuilder.CreateIndex(name: "IX_job_runs_State", table: "job_runs", column: "State");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "job_runs");
}
