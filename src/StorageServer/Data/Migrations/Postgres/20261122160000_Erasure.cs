using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>GDPR erasure: requests and their per-object progress, the subject index, tombstones and receipts.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122160000_Erasure")]
public sealed class Erasure : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "erasure_requests",
            columns: table => new
            {
                Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                SubjectHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                LegalBasis = table.Column<string>(type: "text", nullable: false),
                State = table.Column<int>(type: "integer", nullable: false),
                StateReason = table.Column<string>(type: "text", nullable: true),
                ContentScan = table.Column<bool>(type: "boolean", nullable: false),
                CaseInsensitive = table.Column<bool>(type: "boolean", nullable: false),
                RequestedBy = table.Column<string>(type: "text", nullable: false),
                ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                ExtensionReason = table.Column<string>(type: "text", nullable: true),
                ExtendedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                PlannedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                RestrictedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                ItemsTotal = table.Column<int>(type: "integer", nullable: false),
                ItemsDone = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_erasure_requests", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_erasure_requests_State", table: "erasure_requests", column: "State");
        migrationBuilder.CreateIndex(name: "IX_erasure_requests_SubjectHash", table: "erasure_requests", column: "SubjectHash");

        migrationBuilder.CreateTable(
            name: "erasure_items",
            columns: table => new
            {
                RequestId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Action = table.Column<int>(type: "integer", nullable: false),
                Source = table.Column<int>(type: "integer", nullable: false),
                DropLines = table.Column<string>(type: "text", nullable: true),
                SuccessorOid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                TipsUpdated = table.Column<bool>(type: "boolean", nullable: false),
                ErasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_erasure_items", x => new { x.RequestId, x.Oid });
                table.ForeignKey("FK_erasure_items_erasure_requests_RequestId", x => x.RequestId, "erasure_requests", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "erasure_subject_tags",
            columns: table => new
            {
                SubjectHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Oid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Source = table.Column<int>(type: "integer", nullable: false),
                TaggedBy = table.Column<string>(type: "text", nullable: false),
                TaggedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_erasure_subject_tags", x => new { x.SubjectHash, x.Oid }));

        migrationBuilder.CreateTable(
            name: "erasure_path_rules",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                RepositoryId = table.Column<long>(type: "bigint", nullable: false),
                Pattern = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                CreatedBy = table.Column<string>(type: "text", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_erasure_path_rules", x => x.Id);
                table.ForeignKey("FK_erasure_path_rules_repositories_RepositoryId", x => x.RepositoryId, "repositories", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_erasure_path_rules_RepositoryId_Pattern", table: "erasure_path_rules", columns: ["RepositoryId", "Pattern"], unique: true);

        migrationBuilder.CreateTable(
            name: "erasure_tombstones",
            columns: table => new
            {
                OidHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                RequestId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                ErasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_erasure_tombstones", x => x.OidHash));

        migrationBuilder.CreateTable(
            name: "erasure_receipts",
            columns: table => new
            {
                RequestId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                PayloadJson = table.Column<string>(type: "text", nullable: false),
                Signature = table.Column<string>(type: "text", nullable: false),
                IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_erasure_receipts", x => x.RequestId);
                table.ForeignKey("FK_erasure_receipts_erasure_requests_RequestId", x => x.RequestId, "erasure_requests", "Id", onDelete: ReferentialAction.Restrict);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "erasure_receipts");
        migrationBuilder.DropTable(name: "erasure_tombstones");
        migrationBuilder.DropTable(name: "erasure_path_rules");
        migrationBuilder.DropTable(name: "erasure_subject_tags");
        migrationBuilder.DropTable(name: "erasure_items");
        migrationBuilder.DropTable(name: "erasure_requests");
    }
}
