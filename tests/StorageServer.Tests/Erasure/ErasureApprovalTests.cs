using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Erasure;

/// <summary>Nothing changes before a preview is approved; flags need an acknowledgement; four eyes need two different admins; a request can be withdrawn.</summary>
public sealed class ErasureApprovalTests
{
    [Fact]
    public async Task A_flagged_preview_changes_nothing_until_two_different_admins_approve_it_acknowledging_the_flags()
    {
        await using var lfs = await LfsTestContext.CreateAsync(new Dictionary<string, string?> { ["Erasure:RequireSecondApprover"] = "true" });
        using var admin = lfs.Factory.CreateAdminClient();
        var bobToken = await lfs.Factory.CreateTokenAsync("bob", new Dictionary<string, string> { ["*"] = "admin" });
        using var bob = lfs.Factory.CreateBasicClient(bobToken);
        // Two records, one of them the subject's: removing half of the file's records is flagged.
        var csv = Encoding.UTF8.GetBytes("c1042,Alice Martin\nc10420,Bob Stone\n");
        var oid = Convert.ToHexStringLower(SHA256.HashData(csv));
        await lfs.UploadAsync(csv, oid);
        await ErasureApi.IndexPointerAsync(lfs, LfsTestContext.Repo, new string('3', 40), "people.csv", oid, csv.Length);

        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "c1042", legalBasis = "Art. 17", identifiers = new[] { "c1042" } });
        var previewed = await ErasureApi.WaitForStateAsync(admin, id, "previewed");
        Assert.Equal(["record-share"], previewed.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var preview = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}/preview");
        Assert.Equal(2, preview.GetProperty("approvalsRequired").GetInt32());
        var item = preview.GetProperty("objects").GetProperty("items")[0];
        Assert.Equal(("redact", "record-share", 2, 1), (item.GetProperty("action").GetString(), item.GetProperty("flag").GetString(),
            item.GetProperty("records").GetProperty("total").GetInt32(), item.GetProperty("records").GetProperty("removed").GetInt32()));
        var example = item.GetProperty("records").GetProperty("examples")[0];
        Assert.Equal((1, "column 1", 1), (example.GetProperty("record").GetInt32(), example.GetProperty("field").GetString(), example.GetProperty("identifier").GetInt32()));
        Assert.Equal(64, example.GetProperty("recordHash").GetString()!.Length);
        Assert.DoesNotContain("Alice", preview.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(new PreviewLocation("team/data", "people.csv", new string('3', 40)),
            item.GetProperty("locations").GetProperty("shown")[0].Deserialize<PreviewLocation>(JsonSerializerOptions.Web));

        using (var unacknowledged = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/approve", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, unacknowledged.StatusCode);
            Assert.Contains("acknowledgeFlags", await unacknowledged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var first = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/approve", new { acknowledgeFlags = true }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using (var again = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/approve", new { acknowledgeFlags = true }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // the same admin cannot be the second pair of eyes
        }
        await Task.Delay(500);
        var waiting = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}");
        Assert.Equal("previewed", waiting.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ErasureApi.DownloadEntryAsync(lfs.Client(lfs.ReadToken), oid, csv.Length)).Status);

        using (var second = await bob.PostAsJsonAsync($"/api/erasure/requests/{id}/approve", new { acknowledgeFlags = true }))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        var done = await ErasureApi.WaitForStateAsync(admin, id, "completed");
        Assert.Equal(["admin", "bob"], done.GetProperty("approvers").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(HttpStatusCode.Gone, (await ErasureApi.DownloadEntryAsync(lfs.Client(lfs.ReadToken), oid, csv.Length)).Status);
        var audit = await admin.GetStringAsync("/api/audit?limit=1000");
        Assert.Equal(2, audit.Split("erasure.approve").Length - 1);
    }

    [Fact]
    public async Task A_request_is_cancelled_before_approval_and_then_changes_nothing()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var (bytes, oid) = LfsTestContext.Content(900, seed: 71);
        await lfs.UploadAsync(bytes, oid);
        await admin.PostAsJsonAsync("/api/erasure/subjects/tags", new { subject = "k-1", oids = new[] { oid } });
        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "k-1", legalBasis = "Art. 17" });
        await ErasureApi.WaitForStateAsync(admin, id, "previewed");
        using (var noReason = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/cancel", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }
        using (var cancel = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/cancel", new { reason = "filed for the wrong customer" }))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }
        using (var approve = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/approve", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        }
        Assert.Equal("cancelled", (await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ErasureApi.DownloadEntryAsync(lfs.Client(lfs.ReadToken), oid, bytes.Length)).Status);
    }

    private sealed record PreviewLocation(string Repository, string Path, string Commit);
}
