using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Git;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;
using StorageServer.Retention.Reachability;
using StorageServer.Storage;
using StorageServer.Tests.Jobs;
using StorageServer.Tests.Lfs;
using StorageServer.Tests.Support;
using LfsOid = StorageServer.Protocol.Oid;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Retention;

/// <summary>
/// A server in-process with a manual clock, real bare repositories and real uploads through the
/// LFS API. Commits are made in a scratch clone and fetched into the bare repository; the
/// post-receive work (index the pointers, refresh reachability) is then done as the hook does it.
/// </summary>
internal sealed class RetentionScenario : IAsyncDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("retention-scenario-").FullName;

    private RetentionScenario(StorageServerFactory factory) => Factory = factory;

    public StorageServerFactory Factory { get; }

    public HttpClient Admin { get; private set; } = null!;

    public string Token { get; private set; } = "";

    public FakeTimeProvider Clock => Factory.Clock;

    public static Task<RetentionScenario> CreateAsync(IDictionary<string, string?>? settings = null, params string[] repositories) =>
        CreateAsync(settings, configureServices: null, repositories);

    public static async Task<RetentionScenario> CreateAsync(IDictionary<string, string?>? settings, Action<IServiceCollection>? configureServices, params string[] repositories)
    {
        var scenario = new RetentionScenario(new StorageServerFactory(settings, configureServices));
        foreach (var repository in repositories.DefaultIfEmpty("team/data"))
        {
            await scenario.Factory.CreateRepoAsync(repository);
        }
        scenario.Admin = scenario.Factory.CreateAdminClient();
        scenario.Token = await scenario.Factory.CreateTokenAsync("alice", new Dictionary<string, string> { ["*"] = "write" });
        return scenario;
    }

    public static (byte[] Bytes, string Oid) Content(int seed, int size = 100)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Uploads content as git-lfs does before a push; returns its pointer text.</summary>
    public async Task<string> UploadAsync(string repository, (byte[] Bytes, string Oid) content)
    {
        using var client = Factory.CreateBasicClient(Token);
        var reply = await LfsTestContext.PostBatchAsync(client, LfsTestContext.BatchJson("upload", (content.Oid, content.Bytes.Length)), $"/{repository}.git/info/lfs");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var entry = reply.Json.GetProperty("objects")[0];
        if (entry.TryGetProperty("actions", out var actions))
        {
            using var put = await LfsTestContext.SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), LfsTestContext.Bytes(content.Bytes));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        return new LfsPointer(LfsOid.Parse(content.Oid), content.Bytes.Length).Format();
    }

    /// <summary>What a download batch says for the object: 200 with a download action, else the per-object error code.</summary>
    public async Task<int> DownloadStatusAsync(string repository, (byte[] Bytes, string Oid) content) =>
        (await DownloadAnswerAsync(repository, content)).Code;

    /// <summary>The per-object code of a download batch and its error message (null with a download action).</summary>
    public async Task<(int Code, string? Message)> DownloadAnswerAsync(string repository, (byte[] Bytes, string Oid) content)
    {
        using var client = Factory.CreateBasicClient(Token);
        var reply = await LfsTestContext.PostBatchAsync(client, LfsTestContext.BatchJson("download", (content.Oid, content.Bytes.Length)), $"/{repository}.git/info/lfs");
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        var entry = reply.Json.GetProperty("objects")[0];
        return entry.TryGetProperty("error", out var error) ? (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()) : (200, null);
    }

    /// <summary>Writes files (null content deletes) on a branch, lands the commit and runs the post-receive work.</summary>
    public async Task<string> CommitAsync(string repository, string branch, params (string Path, string? Content)[] files)
    {
        var work = Path.Combine(_work, repository.Replace('/', '_'));
        if (!Directory.Exists(work))
        {
            Git(null, "init", "-q", "-b", branch, work);
        }
        var gitDir = Path.Combine(work, ".git");
        if (Git(gitDir, "rev-parse", "--verify", "-q", "HEAD", allowFailure: true).Length > 0)
        {
            var exists = Git(gitDir, "branch", "--list", branch).Length > 0;
            Git(gitDir, exists ? ["--work-tree", work, "checkout", "-q", branch] : ["--work-tree", work, "checkout", "-q", "-b", branch]);
        }
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(work, path);
            if (content is null)
            {
                File.Delete(full);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Git(gitDir, "--work-tree", work, "add", "-A");
        Git(gitDir, "--work-tree", work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", $"commit {Guid.NewGuid():N}");
        var bare = BarePath(repository);
        Git(bare, "fetch", "-q", work, $"+{branch}:refs/heads/{branch}");
        await AfterPushAsync(repository);
        return Git(bare, "rev-parse", $"refs/heads/{branch}");
    }

    /// <summary>The scratch clone behind <see cref="CommitAsync"/> (made on first use), for histories it cannot make: merges, side branches.</summary>
    public string WorkTree(string repository)
    {
        var work = Path.Combine(_work, repository.Replace('/', '_'));
        if (!Directory.Exists(work))
        {
            Git(null, "init", "-q", "-b", "main", work);
        }
        return work;
    }

    /// <summary>Runs git in <see cref="WorkTree"/> (with an author); returns its output.</summary>
    public string GitWork(string repository, params string[] arguments)
    {
        var work = WorkTree(repository);
        return Git(Path.Combine(work, ".git"), ["--work-tree", work, "-c", "user.name=t", "-c", "user.email=t@t", .. arguments]);
    }

    /// <summary>Fetches refs of the scratch clone into the bare repository (<c>+src:dst</c>), then does the post-receive work.</summary>
    public async Task FetchAsync(string repository, params string[] refspecs)
    {
        Git(BarePath(repository), ["fetch", "-q", WorkTree(repository), .. refspecs]);
        await AfterPushAsync(repository);
    }

    public async Task TagAsync(string repository, string tag, string commit)
    {
        Git(BarePath(repository), "tag", tag, commit);
        await AfterPushAsync(repository);
    }

    public async Task SetRefAsync(string repository, string reference, string? commit)
    {
        if (commit is null)
        {
            Git(BarePath(repository), "update-ref", "-d", reference);
        }
        else
        {
            Git(BarePath(repository), "update-ref", reference, commit);
        }
        await AfterPushAsync(repository);
    }

    /// <summary>What post-receive does: index the pointers, then tell the push listeners.</summary>
    public async Task AfterPushAsync(string repository)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var repo = await db.Repositories.AsNoTracking().SingleAsync(r => r.Name == repository);
        await scope.ServiceProvider.GetRequiredService<PointerIndexer>().IndexAsync(repo, [], ["--all"], CancellationToken.None);
        foreach (var listener in scope.ServiceProvider.GetServices<IPushListener>())
        {
            await listener.OnPushedAsync(repo, CancellationToken.None);
        }
    }

    public async Task<long> CreatePolicyAsync(object policy)
    {
        using var response = await Admin.PostAsJsonAsync("/api/retention/policies", policy);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Starts a run through the API, waits for its job and returns the retention run.</summary>
    public async Task<JsonElement> RunAsync(string kind, bool dryRun = false, string? repository = null)
    {
        using var response = await Admin.PostAsJsonAsync("/api/retention/runs", new { kind, dryRun, repository });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var jobRunId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobRunId").GetInt64();
        var job = await JobApi.WaitForEndAsync(Admin, jobRunId);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        var runs = await Admin.GetFromJsonAsync<JsonElement>($"/api/retention/runs?jobRunId={jobRunId}");
        return runs[0];
    }

    public Task<JsonElement> MarkAsync(bool dryRun = false) => RunAsync("mark", dryRun);

    public Task<JsonElement> SweepAsync() => RunAsync("sweep");

    public async Task<JsonElement> ReportAsync(long runId) => await Admin.GetFromJsonAsync<JsonElement>($"/api/retention/runs/{runId}/report.json");

    public async Task<List<string>> StoredOidsAsync()
    {
        var store = Factory.Services.GetRequiredService<IObjectStore>();
        var oids = new List<string>();
        await foreach (var info in store.EnumerateAsync(CancellationToken.None))
        {
            oids.Add(info.Oid.Value);
        }
        return oids;
    }

    public async Task<ObjectState?> StateAsync(string oid)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        return await db.Objects.AsNoTracking().Where(o => o.Oid == oid).Select(o => (ObjectState?)o.State).SingleOrDefaultAsync();
    }

    public string BarePath(string repository) => Factory.Services.GetRequiredService<GitRepositoryLayout>().PathOf(repository);

    public static string Git(string? gitDir, params string[] arguments) => GitCommand.Run(gitDir, arguments);

    public static string Git(string? gitDir, string a, string b, string c, string d, bool allowFailure) => GitCommand.Run(gitDir, [a, b, c, d], allowFailure);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}
