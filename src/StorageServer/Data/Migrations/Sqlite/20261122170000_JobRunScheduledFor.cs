using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>
/// A scheduled run records the tick it belongs to, unique per job: the database, not only Quartz's
/// cluster lock, guarantees one run per tick across nodes.
/// </summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261122170000_JobRunScheduledFor")]
public sealed class JobRunScheduledFor : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<long>(name: "ScheduledFor", table: "job_runs", type: "INTEGER", nullable: true);
        migrationBuilder.CreateIndex(name: "IX_job_runs_Job_ScheduledFor", table: "job_runs", columns: ["Job", "ScheduledFor"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_job_runs_Job_ScheduledFor", table: "job_runs");
        migrationBuilder.DropColumn(name: "ScheduledFor", table: "job_runs");
    }
}
