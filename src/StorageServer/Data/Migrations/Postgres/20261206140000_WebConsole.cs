using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>
/// The web console: server-side sign-in sessions, the data-protection key ring that protects its
/// cookies (shared by every node through the database), and when each token was last used.
/// </summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261206140000_WebConsole")]
public sealed class WebConsole : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTimeOffset>(name: "LastUsedAt", table: "access_tokens", type: "timestamp with time zone", nullable: true);
        migrationBuilder.CreateTable(
            name: "console_sessions",
            columns: table => new
            {
                KeyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                User = table.Column<string>(type: "text", nullable: false),
                Ticket = table.Column<byte[]>(type: "bytea", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_console_sessions", x => x.KeyHash));
        migrationBuilder.CreateIndex(name: "IX_console_sessions_ExpiresAt", table: "console_sessions", column: "ExpiresAt");
        migrationBuilder.CreateTable(
            name: "data_protection_keys",
            columns: table => new
            {
                Id = table.Column<int>(type: "integer", nullable: false).Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                FriendlyName = table.Column<string>(type: "text", nullable: true),
                Xml = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_data_protection_keys", x => x.Id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "data_protection_keys");
        migrationBuilder.DropTable(name: "console_sessions");
        migrationBuilder.DropColumn(name: "LastUsedAt", table: "access_tokens");
    }
}
