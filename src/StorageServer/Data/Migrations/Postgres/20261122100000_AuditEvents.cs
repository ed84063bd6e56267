using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>The hash-chained audit trail of admin actions.</summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122100000_AuditEvents")]
public sealed class AuditEvents : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "audit_events",
            columns: table => new
            {
                Id = table.Column<long>(type: "bigint", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                Actor = table.Column<string>(type: "text", nullable: false),
                Action = table.Column<string>(type: "text", nullable: false),
                Target = table.Column<string>(type: "text", nullable: false),
                DetailsJson = table.Column<string>(type: "text", nullable: true),
                PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_audit_events", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_audit_events_Hash", table: "audit_events", column: "Hash", unique: true);
        migrationBuilder.CreateIndex(name: "IX_audit_events_At", table: "audit_events", column: "At");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "audit_events");
}
