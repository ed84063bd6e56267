using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Holds;
using StorageServer.Tests.Support;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Holds;

/// <summary>What each kind of hold covers, and its release, on every database provider.</summary>
public abstract class LegalHoldDatabaseTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly string OidA = new('a', 64);
    private static readonly string OidB = new('b', 64);
    private static readonly string OidC = new('c', 64);
    private static readonly string OidD = new('d', 64);

    [Fact]
    public async Task Oid_repository_and_path_holds_cover_exactly_their_objects_until_released()
    {
        var released = new ReleaseRecorder();
        using var server = new StorageServerFactory(database.ServerSettings, services => services.AddSingleton<ILegalHoldReleaseListener>(released));
        using var admin = server.CreateAdminClient();
        await server.CreateRepoAsync("team/one");
        await server.CreateRepoAsync("team/two");
        await SeedAsync(server);

        Assert.Empty(await HeldAsync(server));
        var oidHold = await CreateAsync(admin, new { caseReference = "CASE-1", oid = OidA, reason = "litigation" });
        var repoHold = await CreateAsync(admin, new { caseReference = "CASE-2", repository = "team/two" });
        var pathHold = await CreateAsync(admin, new { caseReference = "CASE-3", repository = "team/one", path = "data/customers/**" });

        var held = await HeldAsync(server);
        Assert.Equal("CASE-1", held[OidA].CaseReference);
        Assert.Equal("CASE-2", held[OidB].CaseReference); // claimed by team/two
        Assert.Equal("CASE-3", held[OidC].CaseReference); // at data/customers/ in an old commit of team/one
        Assert.False(held.ContainsKey(OidD)); // only at models/ and archive/data/customers/: the glob is anchored

        using (var release = await admin.PostAsJsonAsync($"/api/holds/{pathHold}/release", new { reason = "case closed" }))
        {
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
            Assert.False((await release.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean());
        }
        using (var again = await admin.PostAsJsonAsync($"/api/holds/{pathHold}/release", new { reason = "twice" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        }
        Assert.Equal([pathHold], released.Released);
        Assert.False((await HeldAsync(server)).ContainsKey(OidC));

        var active = await admin.GetFromJsonAsync<JsonElement>("/api/holds");
        Assert.Equal([oidHold, repoHold], active.EnumerateArray().Select(h => h.GetProperty("id").GetInt64()));
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/holds?state=all");
        Assert.Equal(3, all.GetArrayLength());
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(audit.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Bad_hold_requests_are_refused_and_change_nothing()
    {
        using var server = new StorageServerFactory(database.ServerSettings);
        using var admin = server.CreateAdminClient();
        await server.CreateRepoAsync("team/bad");
        var before = await CountAsync(server);
        object[] bad =
        [
            new { oid = OidA },
            new { caseReference = "C", oid = "../../etc/passwd" },
            new { caseReference = "C", oid = OidA, repository = "team/bad" },
            new { caseReference = "C" },
            new { caseReference = "C", path = "a\nb" },
            new { caseReference = new string('x', 201), oid = OidA },
        ];
        foreach (var body in bad)
        {
            using var response = await admin.PostAsJsonAsync("/api/holds", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()));
        }
        using (var unknown = await admin.PostAsJsonAsync("/api/holds", new { caseReference = "C", repository = "team/nope" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (var noReason = await admin.PostAsJsonAsync("/api/holds/1/release", new { reason = "" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }
        using (var missing = await admin.PostAsJsonAsync("/api/holds/999/release", new { reason = "r" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        using var reader = server.CreateBasicClient(await server.CreateTokenAsync("bob", new Dictionary<string, string> { ["*"] = "write" }));
        using (var forbidden = await reader.PostAsJsonAsync("/api/holds", new { caseReference = "C", oid = OidA }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        Assert.Equal(before, await CountAsync(server));
    }

    private static async Task<int> CountAsync(StorageServerFactory server)
    {
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<StorageDbContext>().LegalHolds.CountAsync();
    }

    private static async Task<long> CreateAsync(HttpClient admin, object body)
    {
        using var response = await admin.PostAsJsonAsync("/api/holds", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<IReadOnlyDictionary<string, HoldMatch>> HeldAsync(StorageServerFactory server)
    {
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<LegalHoldQuery>().FindHeldAsync([OidA, OidB, OidC, OidD], CancellationToken.None);
    }

    private static async Task SeedAsync(StorageServerFactory server)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var one = await db.Repositories.SingleAsync(r => r.Name == "team/one");
        var two = await db.Repositories.SingleAsync(r => r.Name == "team/two");
        var now = server.Clock.GetUtcNow();
        foreach (var oid in new[] { OidA, OidB, OidC, OidD })
        {
            db.Objects.Add(new StoredObject { Oid = oid, Size = 1, State = ObjectState.Live, CreatedAt = now, StateChangedAt = now });
        }
        db.RepoObjects.Add(new RepoObject { RepositoryId = two.Id, Oid = OidB, UploadedBy = "alice", UploadedAt = now });
        db.PointerRefs.Add(new PointerRef { RepositoryId = one.Id, CommitSha = new string('1', 40), Path = "data/customers/c-42/orders.csv", Oid = OidC, Size = 1, IndexedAt = now });
        db.PointerRefs.Add(new PointerRef { RepositoryId = one.Id, CommitSha = new string('1', 40), Path = "models/m.bin", Oid = OidD, Size = 1, IndexedAt = now });
        db.PointerRefs.Add(new PointerRef { RepositoryId = one.Id, CommitSha = new string('2', 40), Path = "archive/data/customers/x.csv", Oid = OidD, Size = 1, IndexedAt = now });
        await db.SaveChangesAsync();
    }

    private sealed class ReleaseRecorder : ILegalHoldReleaseListener
    {
        public List<long> Released { get; } = [];

        public Task OnReleasedAsync(LegalHold hold, CancellationToken cancellationToken)
        {
            Released.Add(hold.Id);
            return Task.CompletedTask;
        }
    }
}

public sealed class SqliteLegalHoldDatabaseTests(SqliteTestDatabase database) : LegalHoldDatabaseTests<SqliteTestDatabase>(database);

public sealed class PostgresLegalHoldDatabaseTests(PostgresTestDatabase database) : LegalHoldDatabaseTests<PostgresTestDatabase>(database);
