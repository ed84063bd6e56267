using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StorageServer.Tests.Jobs;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Erasure;

/// <summary>The content-scan job of the subject index: tags what contains the identifiers, reports progress, keeps nothing of them.</summary>
public sealed class SubjectScanTests
{
    [Fact]
    public async Task A_scan_job_tags_every_stored_object_containing_an_identifier()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var oids = new List<string>();
        foreach (var text in new[] { "id,mail\n1,eve.scan@example.com\n", "nothing here\n", "EVE.SCAN@EXAMPLE.COM wrote this\n", "Eve Scanner, 12 Main St\n" })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            oids.Add(Convert.ToHexStringLower(SHA256.HashData(bytes)));
            await lfs.UploadAsync(bytes, oids[^1]);
        }

        using var response = await admin.PostAsJsonAsync("/api/erasure/subjects/scan", new
        {
            subject = "e-55",
            identifiers = new[] { "eve.scan@example.com", "Eve Scanner" },
            caseInsensitive = true,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var run = await JobApi.WaitForEndAsync(admin, accepted.GetProperty("jobRunId").GetInt64());
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        Assert.Contains("3 objects contain an identifier", run.GetProperty("progress").GetProperty("message").GetString(), StringComparison.Ordinal);

        var subject = accepted.GetProperty("subject").GetString();
        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/subjects/{subject}/objects");
        var tagged = found.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(new[] { oids[0], oids[2], oids[3] }.Order(StringComparer.Ordinal), tagged.Select(o => o.GetProperty("oid").GetString()).Order(StringComparer.Ordinal));
        Assert.All(tagged, o => Assert.Equal("scan", o.GetProperty("source").GetString()));
        // Only the scanned objects themselves hold the identifiers: not the database, not the index.
        Assert.DoesNotContain(ErasureApi.FilesContaining(lfs.Factory.DataDir, "eve.scan@example.com", "Eve Scanner", "e-55"), f => !f.Contains("/objects/", StringComparison.Ordinal));
    }
}
