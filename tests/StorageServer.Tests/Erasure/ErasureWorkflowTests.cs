using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Erasure;
using StorageServer.Erasure.Data;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Erasure;

/// <summary>The request workflow: holds defer it (objects stay restricted), deadlines and extensions, lost identifiers, bad input.</summary>
public sealed class ErasureWorkflowTests
{
    [Fact]
    public async Task A_legal_hold_defers_the_request_with_its_objects_restricted_and_releasing_it_completes_the_erasure()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var (held, heldOid) = LfsTestContext.Content(2500, seed: 11);
        var (free, freeOid) = LfsTestContext.Content(2600, seed: 12);
        await lfs.UploadAsync(held, heldOid);
        await lfs.UploadAsync(free, freeOid);
        using (var tag = await admin.PostAsJsonAsync("/api/erasure/subjects/tags", new { subject = "c1", oids = new[] { heldOid, freeOid } }))
        {
            Assert.Equal(HttpStatusCode.OK, tag.StatusCode);
        }
        using var hold = await admin.PostAsJsonAsync("/api/holds", new { caseReference = "CASE-77", oid = heldOid, reason = "litigation" });
        Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
        var holdId = (await hold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "c1", legalBasis = "Art. 17(1)(d)" });
        await ErasureApi.ApproveAsync(admin, id);
        var deferred = await ErasureApi.WaitForStateAsync(admin, id, "deferred");
        Assert.Contains("CASE-77", deferred.GetProperty("stateReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("17(3)(e)", deferred.GetProperty("stateReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, deferred.GetProperty("objectsErased").GetInt32());
        // Art. 18: restricted objects are stored but not served to readers; nothing was erased yet.
        using var reader = lfs.Client(lfs.ReadToken);
        Assert.Equal(HttpStatusCode.NotFound, (await ErasureApi.DownloadEntryAsync(reader, heldOid, held.Length)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ErasureApi.DownloadEntryAsync(reader, freeOid, free.Length)).Status);
        Assert.Contains(heldOid, lfs.StoreFiles().Select(Path.GetFileName));
        Assert.Contains(freeOid, lfs.StoreFiles().Select(Path.GetFileName));
        // A push of the same bytes is refused: a restricted object is about to be erased.
        using (var writer = lfs.Client(lfs.WriteToken))
        {
            var batch = await LfsTestContext.PostBatchAsync(writer, LfsTestContext.BatchJson("upload", (freeOid, free.Length)));
            Assert.Equal(410, batch.Json.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await ErasureApi.DownloadEntryAsync(reader, freeOid, free.Length)).Status);

        // Past the month, still deferred: it shows as overdue.
        lfs.Factory.Clock.Advance(TimeSpan.FromDays(32));
        var overdue = await admin.GetFromJsonAsync<JsonElement>("/api/erasure/requests?overdue=true");
        Assert.Equal([id], overdue.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.True(overdue[0].GetProperty("overdue").GetBoolean());

        using (var release = await admin.PostAsJsonAsync($"/api/holds/{holdId}/release", new { reason = "case closed" }))
        {
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }
        var completed = await ErasureApi.WaitForStateAsync(admin, id, "completed");
        Assert.Equal(2, completed.GetProperty("objectsErased").GetInt32());
        Assert.False(completed.GetProperty("overdue").GetBoolean());
        Assert.Equal(HttpStatusCode.Gone, (await ErasureApi.DownloadEntryAsync(reader, heldOid, held.Length)).Status);
        Assert.Empty(await admin.GetFromJsonAsync<JsonElement>("/api/erasure/requests?overdue=true") is { } list ? list.EnumerateArray() : default);
        var audit = await admin.GetStringAsync("/api/audit?limit=1000");
        Assert.Contains("erasure.defer", audit, StringComparison.Ordinal);
        Assert.Contains("erasure.complete", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_extension_needs_a_reason_and_the_first_month_and_is_granted_once()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var (bytes, oid) = LfsTestContext.Content(100, seed: 21);
        await lfs.UploadAsync(bytes, oid);
        await admin.PostAsJsonAsync("/api/holds", new { caseReference = "KEEP", oid });
        await admin.PostAsJsonAsync("/api/erasure/subjects/tags", new { subject = "c2", oids = new[] { oid } });
        var received = lfs.Factory.Clock.GetUtcNow();
        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "c2", legalBasis = "Art. 17(1)(a)" });
        await ErasureApi.ApproveAsync(admin, id);
        await ErasureApi.WaitForStateAsync(admin, id, "deferred");

        using (var noReason = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/extend", new { months = 2 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }
        using (var tooLong = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/extend", new { months = 3, reason = "complex" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        }
        lfs.Factory.Clock.Advance(TimeSpan.FromDays(20));
        using (var ok = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/extend", new { months = 2, reason = "12 repositories, 40k objects" }))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(received.AddMonths(3), body.GetProperty("dueAt").GetDateTimeOffset());
            Assert.Equal("12 repositories, 40k objects", body.GetProperty("extensionReason").GetString());
        }
        using (var twice = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/extend", new { months = 1, reason = "again" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }

        var late = await ErasureApi.CreateRequestAsync(admin, new { subject = "c2", legalBasis = "Art. 17(1)(a)" });
        lfs.Factory.Clock.Advance(TimeSpan.FromDays(32));
        using (var afterMonth = await admin.PostAsJsonAsync($"/api/erasure/requests/{late}/extend", new { months = 1, reason = "late" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, afterMonth.StatusCode);
            Assert.Contains("first month", await afterMonth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var overdue = await admin.GetFromJsonAsync<JsonElement>("/api/erasure/requests?overdue=true");
        Assert.Equal([late], overdue.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Identifiers_are_sealed_at_rest_until_completion_and_asked_for_again_if_removed()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var content = System.Text.Encoding.UTF8.GetBytes("name,email\nBob Builder,bob@builder.example\n");
        var oid = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        await lfs.UploadAsync(content, oid);
        using var hold = await admin.PostAsJsonAsync("/api/holds", new { caseReference = "WAIT", oid });
        var holdId = (await hold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "c3", legalBasis = "Art. 17", identifiers = new[] { "bob@builder.example" } });
        await ErasureApi.ApproveAsync(admin, id);
        await ErasureApi.WaitForStateAsync(admin, id, "deferred");

        // Sealed in the database (any node, or this one after a restart, can go on), never in plain text.
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}")).GetProperty("identifiersHeld").GetBoolean());
        var stored = await SealedIdentifiersAsync(lfs, id);
        Assert.NotNull(stored);
        Assert.DoesNotContain("bob@builder", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("bob@builder.example")), stored, StringComparison.Ordinal);

        using (var scope = lfs.Factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ErasureSecretVault>().RemoveAsync(id, CancellationToken.None); // an operator wiped them
        }
        await admin.PostAsJsonAsync($"/api/holds/{holdId}/release", new { reason = "done" });
        var waiting = await WaitForReasonAsync(admin, id, "identifiers");
        Assert.Equal("erasing", waiting.GetProperty("state").GetString());
        Assert.False(waiting.GetProperty("identifiersHeld").GetBoolean());

        using (var wrong = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/identifiers", new { subject = "c4", identifiers = new[] { "bob@builder.example" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        using (var right = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/identifiers", new { subject = "c3", identifiers = new[] { "bob@builder.example" } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        }
        var done = await ErasureApi.WaitForStateAsync(admin, id, "completed");
        Assert.Equal(1, done.GetProperty("objectsErased").GetInt32());
        Assert.Null(await SealedIdentifiersAsync(lfs, id)); // deleted once the request completed
    }

    private static async Task<string?> SealedIdentifiersAsync(LfsTestContext lfs, string id)
    {
        using var scope = lfs.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageServer.Data.StorageDbContext>();
        return await db.Set<StorageServer.Erasure.Data.SealedIdentifiers>().Where(s => s.Id == id).Select(s => s.Sealed).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_and_changes_nothing()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        (string Path, object Body, HttpStatusCode Status)[] cases =
        [
            ("/api/erasure/requests", new { legalBasis = "x" }, HttpStatusCode.BadRequest),
            ("/api/erasure/requests", new { subject = "c1" }, HttpStatusCode.BadRequest),
            ("/api/erasure/requests", new { subject = "c1", legalBasis = "x", identifiers = new[] { "ab" } }, HttpStatusCode.BadRequest),
            ("/api/erasure/requests", new { subject = "c\u0001", legalBasis = "x" }, HttpStatusCode.BadRequest),
            ("/api/erasure/subjects/tags", new { subject = "c1", oids = new[] { "not-an-oid" } }, HttpStatusCode.BadRequest),
            ("/api/erasure/subjects/scan", new { subject = "c1" }, HttpStatusCode.BadRequest),
            ("/api/erasure/path-rules", new { repository = LfsTestContext.Repo, pattern = "data/**" }, HttpStatusCode.BadRequest),
            ("/api/erasure/path-rules", new { repository = "team/none", pattern = "{subject}/**" }, HttpStatusCode.NotFound),
            ("/api/erasure/requests/er_missing/extend", new { months = 1, reason = "x" }, HttpStatusCode.NotFound),
        ];
        foreach (var (path, body, status) in cases)
        {
            using var response = await admin.PostAsJsonAsync(path, body);
            Assert.True(status == response.StatusCode, $"{path} {JsonSerializer.Serialize(body)}: {response.StatusCode}");
            Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()));
        }
        using (var badHash = await admin.GetAsync("/api/erasure/subjects/c1042/objects"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badHash.StatusCode);
        }
        using (var noToken = await lfs.Factory.CreateClient().PostAsJsonAsync("/api/erasure/requests", new { subject = "c1", legalBasis = "x" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        }
        using var scope = lfs.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        Assert.Equal(0, await db.Set<ErasureRequest>().CountAsync());
        Assert.Equal(0, await db.Set<SubjectTag>().CountAsync());
        Assert.Equal(0, await db.Set<SubjectPathRule>().CountAsync());
    }

    private static async Task<JsonElement> WaitForReasonAsync(HttpClient admin, string id, string text)
    {
        for (var i = 0; i < 300; i++)
        {
            var request = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}");
            if (request.GetProperty("stateReason").GetString()?.Contains(text, StringComparison.Ordinal) == true)
            {
                return request;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Request {id} never waited for {text}");
        return default;
    }
}
