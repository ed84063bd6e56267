using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Erasure;

/// <summary>The proof step can fail: bytes left behind keep the request open, with no receipt.</summary>
public sealed class ErasureVerificationTests
{
    [Fact]
    public async Task An_erased_object_still_in_the_store_fails_verification_and_no_receipt_is_issued()
    {
        await using var lfs = await LfsTestContext.CreateAsync(services: StubbornObjectStore.Register);
        using var admin = lfs.Factory.CreateAdminClient();
        var (bytes, oid) = LfsTestContext.Content(1234, seed: 31);
        await lfs.UploadAsync(bytes, oid);
        await admin.PostAsJsonAsync("/api/erasure/subjects/tags", new { subject = "v-1", oids = new[] { oid } });

        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "v-1", legalBasis = "Art. 17" });
        await ErasureApi.ApproveAsync(admin, id);
        JsonElement request = default;
        for (var i = 0; i < 300; i++)
        {
            request = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}");
            if (request.GetProperty("stateReason").GetString()?.StartsWith("Verification failed", StringComparison.Ordinal) == true)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal("erasing", request.GetProperty("state").GetString());
        Assert.StartsWith("Verification failed: 1 erased objects still stored", request.GetProperty("stateReason").GetString(), StringComparison.Ordinal);
        using var receipt = await admin.GetAsync($"/api/erasure/receipts/{id}");
        Assert.Equal(HttpStatusCode.NotFound, receipt.StatusCode);
        // The job writes the request's reason before it throws; StorageJob records its run as failed
        // after that, so the run can still read "running" for a moment (seen in CI).
        JsonElement runs = default;
        for (var i = 0; i < 300 && !HasFailedErasureRun(runs); i++)
        {
            if (i > 0)
            {
                await Task.Delay(100);
            }
            runs = await admin.GetFromJsonAsync<JsonElement>("/api/jobs/runs");
        }
        Assert.True(HasFailedErasureRun(runs), runs.ToString());
        Assert.Contains("erasure.verification_failed", await admin.GetStringAsync("/api/audit?limit=1000"), StringComparison.Ordinal);
    }

    private static bool HasFailedErasureRun(JsonElement runs) =>
        runs.ValueKind == JsonValueKind.Array
        && runs.EnumerateArray().Any(r => r.GetProperty("job").GetString() == "Erasure" && r.GetProperty("state").GetString() == "failed");
}
