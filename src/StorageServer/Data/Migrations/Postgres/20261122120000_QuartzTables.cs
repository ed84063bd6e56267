using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StorageServer.Data.Migrations.Quartz;

namespace StorageServer.Data.Migrations.Postgres;

/// <summary>
/// Quartz.NET's job store tables (prefix <c>qrtz_</c>), in the metadata database so every node's
/// scheduler shares them. The SQL is Quartz's own, verbatim: see <see cref="QuartzSchemaScript"/>.
/// They are not part of the EF model; MigrationSchemaTests leaves them out.
/// </summary>
[DbContext(typeof(PostgresStorageDbContext))]
[Migration("20261122120000_QuartzTables")]
public sealed class QuartzTables : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var statement in QuartzSchemaScript.Statements("postgres"))
        {
            migrationBuilder.Sql(statement);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in QuartzTableNames.DropOrder)
        {
            migrationBuilder.Sql($"DROP TABLE IF EXISTS {QuartzSchemaScript.TablePrefix}{table}");
        }
    }
}
