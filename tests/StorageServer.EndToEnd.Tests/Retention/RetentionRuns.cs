using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace StorageServer.EndToEnd.Tests.Retention;

/// <summary>What the retention end-to-end tests share: running a mark or sweep to its end, and the object store's listing.</summary>
internal static class RetentionRuns
{
    /// <summary>Starts a retention run through the API, waits for its job, and returns the run with its totals.</summary>
    public static async Task<JsonElement> RunAsync(HttpClient admin, string kind, Func<string>? serverLog = null)
    {
        using var response = await admin.PostAsJsonAsync("/api/retention/runs", new { kind });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobRunId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobRunId").GetInt64();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs/runs/{jobRunId}", timeout.Token);
            var state = job.GetProperty("state").GetString();
            if (state is "failed" or "cancelled" or "timed_out")
            {
                Assert.Fail($"retention {kind} job ended {state}: {job}\n{serverLog?.Invoke()}");
            }
            if (state == "succeeded")
            {
                return (await admin.GetFromJsonAsync<JsonElement>($"/api/retention/runs?jobRunId={jobRunId}"))[0];
            }
            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>The object store's own listing: files under the data dir's objects folder, by name.</summary>
    public static List<string> StoredObjects(string dataDir)
    {
        var root = Path.Combine(dataDir, "objects");
        return Directory.Exists(root)
            ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Where(n => n!.Length == 64).Select(n => n!).ToList()
            : [];
    }
}
