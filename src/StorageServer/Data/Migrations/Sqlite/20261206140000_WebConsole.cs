using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data.Migrations.Sqlite;

/// <summary>
/// The web console: server-side sign-in sessions, the data-protection key ring that protects its
/// cookies (shared by every node through the database), and when each token was last used.
/// </summary>
[DbContext(typeof(SqliteStorageDbContext))]
[Migration("20261206140000_WebConsole")]
public sealed class WebConsole : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<long>(name: "LastUsedAt", table: "access_tokens", type: "INTEGER", nullable: true);
        migrationBuilder.CreateTable(
            name: "console_sessions",
            columns: table => new
            {
                KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                User = table.Column<string>(type: "TEXT", nullable: false),
                Ticket = table.Column<byte[]>(type: "BLOB", nullable: false),
                CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_console_sessions", x => x.KeyHash));
        migrationBuilder.CreateIndex(name: "IX_console_sessions_ExpiresAt", table: "console_sessions", column: "ExpiresAt");
        migrationBuilder.CreateTable(
            name: "data_protection_keys",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                Xml = table.Column<string>(type: "TEXT", nullable: true),
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
