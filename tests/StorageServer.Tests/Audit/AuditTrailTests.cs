using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using StorageServer.Audit;
using StorageServer.Data.Entities;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Audit;

public sealed class AuditTrailTests : IDisposable
{
    private readonly StorageServerFactory _server = new();

    [Fact]
    public async Task Admin_actions_are_recorded_in_a_valid_chain_without_secrets()
    {
        await _server.CreateRepoAsync("team/data");
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/data"] = "write" });
        using var admin = _server.CreateAdminClient();
        (await admin.DeleteAsync("/api/tokens/1")).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/repos/team/data", new { allowAnonymousRead = true })).EnsureSuccessStatusCode();

        var entries = await admin.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Equal(["repo.create", "token.create", "token.revoke", "repo.update"],
            entries.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries.EnumerateArray(), e => Assert.Equal("admin", e.GetProperty("actor").GetString()));
        Assert.DoesNotContain(token, entries.GetRawText(), StringComparison.Ordinal);

        var verification = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(4, verification.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task Editing_a_row_in_the_database_breaks_the_chain_at_that_row()
    {
        await _server.CreateRepoAsync("team/data");
        await _server.CreateRepoAsync("team/other");
        await _server.CreateRepoAsync("team/third");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "storageserver.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_events SET Target = 'team/forged' WHERE Id = 2";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        using var admin = _server.CreateAdminClient();
        var verification = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(2, verification.GetProperty("firstBrokenId").GetInt64());
    }

    [Fact]
    public void Chain_detects_a_removed_entry()
    {
        var first = Link(AuditChain.Genesis, 1, "repo.create");
        var second = Link(first.Hash, 2, "token.create");
        var third = Link(second.Hash, 3, "token.revoke");
        Assert.Null(AuditChain.FindFirstBreak([first, second, third]));
        Assert.Equal(3, AuditChain.FindFirstBreak([first, third]));
    }

    [Fact]
    public async Task Audit_endpoints_need_an_admin()
    {
        using var anonymous = _server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/audit")).StatusCode);
    }

    private static AuditEvent Link(string previous, long id, string action)
    {
        var entry = new AuditEvent
        {
            Id = id,
            At = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(id),
            Actor = "admin",
            Action = action,
            Target = "team/data",
            PreviousHash = previous,
            Hash = string.Empty,
        };
        entry.Hash = AuditChain.ComputeHash(entry);
        return entry;
    }

    public void Dispose() => _server.Dispose();
}
