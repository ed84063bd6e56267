using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageServer.Erasure.Receipts;
using StorageServer.Tests.Lfs;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Erasure;

/// <summary>Erasure requests on the in-process server: index, restriction, erasure, 410, re-upload refusal, receipts.</summary>
public sealed class ErasureRequestTests
{
    private const string Subject = "c1042";

    [Fact]
    public Task Path_rules_and_tags_erase_every_version_in_every_repository_and_a_signed_receipt_proves_it() => PathRulesAndTagsScenarioAsync(null);

    /// <summary>Also run on PostgreSQL by <see cref="PostgresErasureTests"/>.</summary>
    /// <param name="afterwards">Checks of the caller's, run against the same server before it stops.</param>
    internal static async Task PathRulesAndTagsScenarioAsync(IDictionary<string, string?>? settings, Func<StorageServerFactory, Task>? afterwards = null)
    {
        await using var lfs = await LfsTestContext.CreateAsync(settings);
        using var admin = lfs.Factory.CreateAdminClient();
        var (v1, v1Oid) = LfsTestContext.Content(3000, seed: 1);
        var (v2, v2Oid) = LfsTestContext.Content(3100, seed: 2);
        var (other, otherOid) = LfsTestContext.Content(2000, seed: 3);
        var (tagged, taggedOid) = LfsTestContext.Content(1500, seed: 4);
        var (elsewhere, elsewhereOid) = LfsTestContext.Content(1800, seed: 5);
        await lfs.UploadAsync(v1, v1Oid);
        await lfs.UploadAsync(v2, v2Oid);
        await lfs.UploadAsync(other, otherOid);
        await lfs.UploadAsync(tagged, taggedOid);
        await lfs.UploadAsync(elsewhere, elsewhereOid, lfs.OtherWriteToken, LfsTestContext.OtherLfsBase);
        // Two versions of the subject's file (upper case in the path: subjects are normalised), another subject's file, a file in the other repository.
        await ErasureApi.IndexPointerAsync(lfs, LfsTestContext.Repo, new string('1', 40), "data/customers/C1042/profile.bin", v1Oid, v1.Length);
        await ErasureApi.IndexPointerAsync(lfs, LfsTestContext.Repo, new string('2', 40), "data/customers/C1042/profile.bin", v2Oid, v2.Length);
        await ErasureApi.IndexPointerAsync(lfs, LfsTestContext.Repo, new string('1', 40), "data/customers/c2000/profile.bin", otherOid, other.Length);
        await ErasureApi.IndexPointerAsync(lfs, LfsTestContext.OtherRepo, new string('9', 40), "people/c1042/card.bin", elsewhereOid, elsewhere.Length);
        await PostOkAsync(admin, "/api/erasure/path-rules", new { repository = LfsTestContext.Repo, pattern = "data/customers/{subject}/**" }, HttpStatusCode.Created);
        await PostOkAsync(admin, "/api/erasure/path-rules", new { repository = LfsTestContext.OtherRepo, pattern = "people/{subject}/*" }, HttpStatusCode.Created);
        await PostOkAsync(admin, "/api/erasure/subjects/tags", new { subject = Subject, oids = new[] { taggedOid } }, HttpStatusCode.OK);

        var lookup = await PostOkAsync(admin, "/api/erasure/subjects/lookup", new { subject = "  C1042 " }, HttpStatusCode.OK);
        var found = lookup.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("oid").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { v1Oid, v2Oid, taggedOid, elsewhereOid }, found);
        var byHash = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/subjects/{lookup.GetProperty("subject").GetString()}/objects");
        Assert.Equal(4, byHash.GetProperty("objects").GetArrayLength());

        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = Subject, legalBasis = "GDPR Art. 17(1)(b): consent withdrawn" });
        var preview = await ErasureApi.ApproveAsync(admin, id);
        Assert.Equal(4, preview.GetProperty("summary").GetProperty("objects").GetInt32());
        Assert.Equal(0, preview.GetProperty("summary").GetProperty("redact").GetInt32());
        var done = await ErasureApi.WaitForStateAsync(admin, id, "completed");
        Assert.Equal(4, done.GetProperty("objectsErased").GetInt32());
        Assert.Equal(lfs.Factory.Clock.GetUtcNow().AddMonths(1), done.GetProperty("dueAt").GetDateTimeOffset());

        using var reader = lfs.Client(lfs.WriteToken);
        foreach (var (oid, size) in new[] { (v1Oid, v1.Length), (v2Oid, v2.Length), (taggedOid, tagged.Length) })
        {
            var (status, message) = await ErasureApi.DownloadEntryAsync(reader, oid, size);
            Assert.Equal(HttpStatusCode.Gone, status);
            Assert.Contains("data-protection", message, StringComparison.Ordinal);
        }
        using var otherReader = lfs.Client(lfs.OtherWriteToken);
        Assert.Equal(HttpStatusCode.Gone, (await ErasureApi.DownloadEntryAsync(otherReader, elsewhereOid, elsewhere.Length, LfsTestContext.OtherLfsBase)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ErasureApi.DownloadEntryAsync(reader, otherOid, other.Length)).Status);
        var stored = lfs.StoreFiles().Select(Path.GetFileName).ToHashSet();
        Assert.DoesNotContain(v1Oid, stored);
        Assert.DoesNotContain(v2Oid, stored);
        Assert.DoesNotContain(taggedOid, stored);
        Assert.DoesNotContain(elsewhereOid, stored);
        Assert.Contains(otherOid, stored);

        // A stale copy cannot come back: the batch refuses it per object, and the refusal is audited.
        var upload = await LfsTestContext.PostBatchAsync(reader, LfsTestContext.BatchJson("upload", (v1Oid, v1.Length), (otherOid, other.Length)));
        Assert.Equal(410, upload.Json.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        Assert.False(upload.Json.GetProperty("objects")[1].TryGetProperty("error", out _));
        var audit = await admin.GetStringAsync("/api/audit?limit=1000");
        Assert.Contains("erasure.upload_refused", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(Subject, audit, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(v1Oid, audit, StringComparison.Ordinal);

        // The receipt verifies on the server and offline with the published key; a tampered one does not.
        var receipt = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/receipts/{id}");
        var payload = receipt.GetProperty("payload");
        var jws = receipt.GetProperty("jws").GetString()!;
        Assert.Equal(jws, await admin.GetStringAsync($"/api/erasure/receipts/{id}/jws"));
        Assert.Equal(id, payload.GetProperty("requestId").GetString());
        Assert.Equal(lookup.GetProperty("subject").GetString(), payload.GetProperty("subject").GetString());
        Assert.Equal(4, payload.GetProperty("erasedObjects").GetArrayLength());
        Assert.Equal(2, payload.GetProperty("historyPaths").GetArrayLength());
        Assert.True(payload.GetProperty("verification").GetProperty("passed").GetBoolean());
        Assert.DoesNotContain(v1Oid, receipt.GetRawText(), StringComparison.Ordinal);
        Assert.True((await VerifyAsync(admin, receipt)).GetProperty("valid").GetBoolean());

        // Offline: the signed bytes are header.payload as served; the payload part decodes to the payload shown.
        using var anonymous = lfs.Factory.CreateClient();
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(await anonymous.GetStringAsync("/api/erasure/public-key"));
        var parts = jws.Split('.');
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Jose.Base64Url.Decode(parts[2]), HashAlgorithmName.SHA256));
        Assert.Equal(payload.GetRawText(), Encoding.UTF8.GetString(Jose.Base64Url.Decode(parts[1])));
        Assert.Contains("+00:00", payload.GetRawText(), StringComparison.Ordinal);
        var jwk = JsonDocument.Parse(await anonymous.GetStringAsync("/api/erasure/public-key.jwk")).RootElement;
        Assert.Equal(("EC", "P-256", "ES256"), (jwk.GetProperty("kty").GetString(), jwk.GetProperty("crv").GetString(), jwk.GetProperty("alg").GetString()));
        Assert.Equal(receipt.GetProperty("keyId").GetString(), jwk.GetProperty("kid").GetString());

        var tamperedPayload = Jose.Base64Url.Encode(Encoding.UTF8.GetBytes(payload.GetRawText().Replace(payload.GetProperty("completedAt").GetString()!, "2020-01-01T00:00:00+00:00", StringComparison.Ordinal)));
        var check = await VerifyAsync(admin, JsonSerializer.SerializeToElement(new { jws = parts[0] + "." + tamperedPayload + "." + parts[2] }));
        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.False(check.GetProperty("signatureValid").GetBoolean());
        if (afterwards is not null)
        {
            await afterwards(lfs.Factory);
        }
    }

    [Fact]
    public async Task A_content_scan_finds_identifiers_case_insensitively_and_nothing_of_them_is_stored_or_logged()
    {
        var logs = new CapturingLoggerProvider();
        await using var lfs = await LfsTestContext.CreateAsync(services: s => s.AddSingleton<ILoggerProvider>(logs));
        using var admin = lfs.Factory.CreateAdminClient();
        var random = LfsTestContext.Content(400_000, seed: 7).Bytes;
        var holder = random.Take(300_000).Concat(Encoding.UTF8.GetBytes("Contact: ALICE.Example@Example.ORG;")).Concat(random.Skip(300_000)).ToArray();
        var holderOid = Convert.ToHexStringLower(SHA256.HashData(holder));
        var (clean, cleanOid) = LfsTestContext.Content(50_000, seed: 8);
        await lfs.UploadAsync(holder, holderOid);
        await lfs.UploadAsync(clean, cleanOid);

        var id = await ErasureApi.CreateRequestAsync(admin, new
        {
            subject = "cust-778899",
            legalBasis = "GDPR Art. 17(1)(a)",
            identifiers = new[] { "alice.example@example.org", "Alice Q. Example" },
            caseInsensitive = true,
        });
        await ErasureApi.ApproveAsync(admin, id);
        await ErasureApi.WaitForStateAsync(admin, id, "completed");

        using var reader = lfs.Client(lfs.ReadToken);
        Assert.Equal(HttpStatusCode.Gone, (await ErasureApi.DownloadEntryAsync(reader, holderOid, holder.Length)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ErasureApi.DownloadEntryAsync(reader, cleanOid, clean.Length)).Status);
        var receipt = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/receipts/{id}");
        var verification = receipt.GetProperty("payload").GetProperty("verification");
        Assert.True(verification.GetProperty("contentScanPerformed").GetBoolean());
        Assert.Equal(1, verification.GetProperty("objectsScanned").GetInt32());
        Assert.Equal(0, verification.GetProperty("matches").GetInt32());

        string[] secrets = ["alice.example@example.org", "ALICE.Example@Example.ORG", "Alice Q. Example", "cust-778899"];
        Assert.Empty(ErasureApi.FilesContaining(lfs.Factory.DataDir, secrets));
        var logged = string.Join('\n', logs.Entries.Select(e => e.Message + " " + string.Join(' ', e.State.Values)));
        Assert.Contains(id, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(logged.Split('\n'), line => secrets.Any(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task<JsonElement> PostOkAsync(HttpClient admin, string path, object body, HttpStatusCode expected)
    {
        using var response = await admin.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> VerifyAsync(HttpClient admin, JsonElement receipt)
    {
        using var response = await admin.PostAsJsonAsync("/api/erasure/receipts/verify", receipt);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
