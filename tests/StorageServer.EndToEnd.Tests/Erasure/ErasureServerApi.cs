using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Erasure;

/// <summary>Erasure calls against a real server process, and the checks the end-to-end tests share.</summary>
internal static class ErasureServerApi
{
    public static async Task<JsonElement> PostAsync(ServerProcess server, string path, object body, HttpStatusCode expected)
    {
        using var admin = server.CreateClient(ServerProcess.AdminToken);
        using var response = await admin.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement;
    }

    public static async Task<JsonElement> GetAsync(ServerProcess server, string path)
    {
        using var admin = server.CreateClient(ServerProcess.AdminToken);
        return await admin.GetFromJsonAsync<JsonElement>(path);
    }

    public static async Task<string> GetTextAsync(ServerProcess server, string path)
    {
        using var admin = server.CreateClient(ServerProcess.AdminToken);
        return await admin.GetStringAsync(path);
    }

    /// <summary>Waits for the preview, then approves it (acknowledging its flags); returns the preview approved.</summary>
    public static async Task<JsonElement> ApproveAsync(ServerProcess server, string id)
    {
        await WaitForStateAsync(server, id, "previewed");
        var preview = await GetAsync(server, $"/api/erasure/requests/{id}/preview?limit=500");
        await PostAsync(server, $"/api/erasure/requests/{id}/approve", new { acknowledgeFlags = true }, HttpStatusCode.OK);
        return preview;
    }

    /// <summary>Runs one of the repository's <c>scripts/</c> with bash; stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoRoot.Path, "scripts", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public static async Task<JsonElement> WaitForStateAsync(ServerProcess server, string id, string state, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        JsonElement request = default;
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromMinutes(2)))
        {
            request = await GetAsync(server, $"/api/erasure/requests/{id}");
            if (request.GetProperty("state").GetString() == state)
            {
                return request;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"Request {id} did not reach {state}: {request}\nruns: {await GetAsync(server, "/api/jobs/runs")}");
        return request;
    }

    /// <summary>The batch download answer for one object: its per-object error code and message, or 200.</summary>
    public static async Task<(int Code, string? Message)> DownloadAsync(ServerProcess server, string repository, string token, string oid, long size)
    {
        using var client = server.CreateClient(token);
        var body = JsonSerializer.Serialize(new { operation = "download", transfers = new[] { "basic" }, objects = new[] { new { oid, size } } });
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.git-lfs+json");
        using var response = await client.PostAsync($"/{repository}.git/info/lfs/objects/batch", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("objects")[0];
        return entry.TryGetProperty("error", out var error) ? (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()) : (200, null);
    }

    /// <summary>Runs <c>grep -r -i -l -F</c> for each needle over <paramref name="directory"/>: the files that contain one.</summary>
    public static string GrepDirectory(string directory, params string[] needles)
    {
        var start = new ProcessStartInfo("grep") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-r", "-i", "-l", "-F", "-a" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var needle in needles)
        {
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add(needle);
        }
        start.ArgumentList.Add(directory);
        using var grep = Process.Start(start)!;
        var output = grep.StandardOutput.ReadToEnd();
        var error = grep.StandardError.ReadToEnd();
        grep.WaitForExit();
        Assert.True(grep.ExitCode is 0 or 1, $"grep failed ({grep.ExitCode}): {error}");
        return output;
    }
}
