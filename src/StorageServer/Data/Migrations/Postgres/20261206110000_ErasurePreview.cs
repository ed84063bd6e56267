using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>
/// Erasure requests are previewed and approved before anything changes; redactions are planned as
/// byte ranges of whole records; receipts are JWS. Requests still being received were planned with
/// the old substring matcher: their plans are dropped so they are planned again and previewed.
/// Requests already restricted or further count as approved when they were restricted (they keep
/// their line-based plans, which the successor writer still reads).
/// </summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261206110000_ErasurePreview")]
public sealed class ErasurePreview : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Flags", table: "erasure_requests", type: "text", nullable: true);
        migrationBuilder.AddColumn<string>(name: "TipsJson", table: "erasure_requests", type: "text", nullable: true);
        migrationBuilder.AddColumn<string>(name: "FirstApprover", table: "erasure_requests", type: "text", nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "FirstApprovedAt", table: "erasure_requests", type: "timestamp with time zone", nullable: true);
        migrationBuilder.AddColumn<string>(name: "SecondApprover", table: "erasure_requests", type: "text", nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "SecondApprovedAt", table: "erasure_requests", type: "timestamp with time zone", nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "ApprovedAt", table: "erasure_requests", type: "timestamp with time zone", nullable: true);

        migrationBuilder.AddColumn<string>(name: "DropRanges", table: "erasure_items", type: "text", nullable: true);
        migrationBuilder.AddColumn<int>(name: "RecordsTotal", table: "erasure_items", type: "integer", nullable: true);
        migrationBuilder.AddColumn<int>(name: "RecordsRemoved", table: "erasure_items", type: "integer", nullable: true);
        migrationBuilder.AddColumn<string>(name: "Examples", table: "erasure_items", type: "text", nullable: true);
        migrationBuilder.AddColumn<string>(name: "Flag", table: "erasure_items", type: "text", nullable: true);

        migrationBuilder.AddColumn<string>(name: "Jws", table: "erasure_receipts", type: "text", nullable: true);

        // States: 0 received, 1 restricted, 2 erasing, 4 deferred (see ErasureState).
        migrationBuilder.Sql("DELETE FROM erasure_items WHERE \"RequestId\" IN (SELECT \"Id\" FROM erasure_requests WHERE \"State\" = 0)");
        migrationBuilder.Sql("UPDATE erasure_requests SET \"PlannedAt\" = NULL, \"ItemsTotal\" = 0 WHERE \"State\" = 0");
        migrationBuilder.Sql("UPDATE erasure_requests SET \"ApprovedAt\" = \"RestrictedAt\", \"FirstApprovedAt\" = \"RestrictedAt\", \"FirstApprover\" = 'system:migration' WHERE \"State\" IN (1, 2, 4)");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "Jws", table: "erasure_receipts");
        foreach (var column in new[] { "DropRanges", "RecordsTotal", "RecordsRemoved", "Examples", "Flag" })
        {
            migrationBuilder.DropColumn(name: column, table: "erasure_items");
        }
        foreach (var column in new[] { "Flags", "TipsJson", "FirstApprover", "FirstApprovedAt", "SecondApprover", "SecondApprovedAt", "ApprovedAt" })
        {
            migrationBuilder.DropColumn(name: column, table: "erasure_requests");
        }
    }
}
