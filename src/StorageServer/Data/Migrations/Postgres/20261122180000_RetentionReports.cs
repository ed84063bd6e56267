using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>Mark reports move from one node's disk into the database, so every node serves them.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122180000_RetentionReports")]
public sealed class RetentionReports : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "retention_reports",
            columns: table => new
            {
                RunId = table.Column<long>(type: "bigint", nullable: false),
                Format = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                GzipContent = table.Column<byte[]>(type: "bytea", nullable: false),
                Length = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_retention_reports", x => new { x.RunId, x.Format });
                table.ForeignKey("FK_retention_reports_retention_runs_RunId", x => x.RunId, "retention_runs", "Id", onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "retention_reports");
}
