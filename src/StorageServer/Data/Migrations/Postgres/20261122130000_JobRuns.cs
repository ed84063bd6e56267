using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>The history of background job runs (state, progress, who asked).</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122130000_JobRuns")]
public sealed class JobRuns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "job_runs",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Job = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                Trigger = table.Column<int>(type: "integer", nullable: false),
                RequestedBy = table.Column<string>(type: "text", nullable: true),
                ParametersJson = table.Column<string>(type: "text", nullable: true),
                State = table.Column<int>(type: "integer", nullable: false),
                ProgressDone = table.Column<long>(type: "bigint", nullable: false),
                ProgressTotal = table.Column<long>(type: "bigint", nullable: true),
                ProgressMessage = table.Column<string>(type: "text", nullable: true),
                Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                FireInstanceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                QueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                Error = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_job_runs", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_job_runs_Job_Id", table: "job_runs", columns: ["Job", "Id"]);
        migrationBuilder.CreateIndex(name: "IX_job_runs_State", table: "job_runs", column: "State");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "job_runs");
}
