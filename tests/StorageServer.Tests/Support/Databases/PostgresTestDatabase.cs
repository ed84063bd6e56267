using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using StorageServer.Data;

namespace StorageServer.Tests.Support.Databases;

/// <summary>A uniquely named database on the shared <see cref="PostgresServer"/>, dropped afterwards.</summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private readonly string _name = $"storageserver_test_{Guid.NewGuid():N}";
    private string? _server;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server ?? throw new InvalidOperationException("not initialized"))
    {
        Database = _name,
    }.ConnectionString;

    public override IDictionary<string, string?> ServerSettings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["Database:ConnectionString"] = ConnectionString,
    };

    public override StorageDbContext CreateContext(params IInterceptor[] interceptors) => new PostgresStorageDbContext(new DbContextOptionsBuilder<PostgresStorageDbContext>()
        .UseNpgsql(ConnectionString)
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
        .AddInterceptors(interceptors)
        .Options);

    public override async Task<IReadOnlyList<string>> ReadSchemaAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return await PostgresSchemaReader.ReadAsync(connection);
    }

    public override async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedConnectionStringAsync();
        try
        {
            await ExecuteOnServerAsync($"CREATE DATABASE \"{_name}\"");
        }
        catch (NpgsqlException e)
        {
            var source = Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable) is { Length: > 0 }
                ? $"the server named by {PostgresServer.EnvironmentVariable}"
                : "the throwaway test cluster";
            throw new InvalidOperationException($"Could not create test database {_name} on {source} ({_server}): {e.Message}", e);
        }
    }

    public override async Task DeleteAsync()
    {
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await DeleteAsync();
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
