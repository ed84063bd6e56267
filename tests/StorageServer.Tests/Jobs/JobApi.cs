using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace StorageServer.Tests.Jobs;

/// <summary>Runs jobs through <c>/api/jobs</c> and waits for their runs.</summary>
internal static class JobApi
{
    private static readonly string[] Terminal = ["succeeded", "failed", "cancelled", "timed_out"];

    public static async Task<long> RunAsync(HttpClient admin, string job, object? parameters = null)
    {
        using var response = parameters is null
            ? await admin.PostAsync($"/api/jobs/{job}/run", null)
            : await admin.PostAsJsonAsync($"/api/jobs/{job}/run", parameters);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queued", run.GetProperty("state").GetString());
        Assert.Equal($"/api/jobs/runs/{run.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        return run.GetProperty("id").GetInt64();
    }

    public static Task<JsonElement> WaitForEndAsync(HttpClient admin, long runId) => WaitForAsync(admin, runId, Terminal);

    public static async Task<JsonElement> WaitForAsync(HttpClient admin, long runId, params string[] states)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var run = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs/runs/{runId}", timeout.Token);
            if (states.Contains(run.GetProperty("state").GetString()))
            {
                return run;
            }
            if (Terminal.Contains(run.GetProperty("state").GetString()))
            {
                Assert.Fail($"Run {runId} ended before reaching {string.Join("/", states)}: {run}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
