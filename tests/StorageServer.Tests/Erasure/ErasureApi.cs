using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Erasure;

/// <summary>Helpers for erasure tests on the in-process server.</summary>
internal static class ErasureApi
{
    public static async Task<string> CreateRequestAsync(HttpClient admin, object body)
    {
        using var response = await admin.PostAsJsonAsync("/api/erasure/requests", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create request: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits for the request's preview, then approves it (acknowledging its flags); returns the preview approved.</summary>
    public static async Task<JsonElement> ApproveAsync(HttpClient admin, string id)
    {
        await WaitForStateAsync(admin, id, "previewed");
        var preview = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}/preview?limit=500");
        using var response = await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/approve", new { acknowledgeFlags = true });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"approve: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return preview;
    }

    public static Task<JsonElement> WaitForStateAsync(HttpClient admin, string id, string state) => WaitForAnyStateAsync(admin, id, state);

    public static async Task<JsonElement> WaitForAnyStateAsync(HttpClient admin, string id, params string[] states)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JsonElement request = default;
        while (!timeout.IsCancellationRequested)
        {
            request = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}");
            if (states.Contains(request.GetProperty("state").GetString()))
            {
                return request;
            }
            await Task.Delay(100);
        }
        var runs = await admin.GetStringAsync("/api/jobs/runs");
        Assert.Fail($"Request {id} did not reach {string.Join(" or ", states)}: {request}\nruns: {runs}");
        return request;
    }

    /// <summary>Records that <paramref name="commit"/> introduced <paramref name="oid"/> at <paramref name="path"/>, as a push would have.</summary>
    public static async Task IndexPointerAsync(LfsTestContext lfs, string repository, string commit, string path, string oid, long size)
    {
        using var scope = lfs.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var repo = db.Repositories.Single(r => r.Name == repository);
        db.PointerRefs.Add(new PointerRef { RepositoryId = repo.Id, CommitSha = commit, Path = path, Oid = oid, Size = size, IndexedAt = lfs.Factory.Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    public static async Task<(HttpStatusCode Status, string? Message)> DownloadEntryAsync(HttpClient client, string oid, long size, string lfsBase = LfsTestContext.LfsBase)
    {
        var reply = await LfsTestContext.PostBatchAsync(client, LfsTestContext.BatchJson("download", (oid, size)), lfsBase);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var entry = reply.Json.GetProperty("objects")[0];
        return entry.TryGetProperty("error", out var error)
            ? ((HttpStatusCode)error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString())
            : (HttpStatusCode.OK, null);
    }

    /// <summary>Every file under the data directory, as bytes: the database (with -wal), keys, blobs.</summary>
    public static List<string> FilesContaining(string directory, params string[] needles)
    {
        var hits = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                stream.CopyToAsync(memory).GetAwaiter().GetResult();
                bytes = memory.ToArray();
            }
            catch (IOException)
            {
                continue;
            }
            foreach (var needle in needles)
            {
                if (bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0 || bytes.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(needle)) >= 0)
                {
                    hits.Add($"{file}: {needle}");
                }
            }
        }
        return hits;
    }
}
