using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>A mark records what kept the claims it did not reclaim (its summary, JSON), for the runs API and the report.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261206101000_RetentionRunSummary")]
public sealed class RetentionRunSummary : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "Summary", table: "retention_runs", type: "text", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Summary", table: "retention_runs");
}
