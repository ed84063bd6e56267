using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Erasure;

/// <summary>
/// GDPR erasure with the real server process and the real git-lfs client: a subject present as
/// per-subject files and as lines of a CSV and a JSON Lines file with several versions, in two repositories.
/// </summary>
public sealed class ErasureEndToEndTests
{
    private const string Subject = "c1042";
    private const string Email = "alice.example@example.org";
    private const string Name = "Alice Example";

    [Fact]
    public async Task A_subject_is_erased_from_every_version_the_tips_still_clone_a_stale_clone_cannot_bring_it_back_and_the_receipt_verifies()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync("team/crm");
        await server.CreateRepoAsync("team/analytics");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/crm"] = "write", ["team/analytics"] = "write" });
        using var git = new GitSandbox();
        git.StoreCredentials(server.BaseUrl, token, "alice");
        var erased = new Dictionary<string, (string Repository, long Size)>();
        string Write(string work, string path, string content, string repository, bool holdsSubject)
        {
            var file = Path.Combine(work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
            var oid = TestFiles.Sha256(file);
            if (holdsSubject)
            {
                erased[oid] = (repository, new FileInfo(file).Length);
            }
            return oid;
        }
        void Commit(string work, string message)
        {
            git.Run(work, "add", "-A");
            git.Run(work, "commit", "-m", message);
        }

        var crm = git.PathOf("crm");
        git.Run(git.Root, "clone", $"{server.BaseUrl}/team/crm.git", crm);
        git.Run(crm, "lfs", "track", "*.csv", "*.json", "*.bin");
        Write(crm, "data/customers/c1042/profile.json", $"{{\"name\":\"{Name}\",\"email\":\"{Email}\"}}\n", "team/crm", true);
        Write(crm, "data/customers/c2000/profile.json", "{\"name\":\"Bob Other\",\"email\":\"bob@other.example\"}\n", "team/crm", false);
        Write(crm, "customers.csv", Csv("c2000,Bob Other,bob@other.example", $"c1042,{Name},{Email}", "c3000,Carol Third,carol@third.example"), "team/crm", true);
        Commit(crm, "customers v1");
        var photo = TestFiles.Write(Path.Combine(crm, "data/customers/c1042/photo.bin"), 5000, seed: 3);
        erased[TestFiles.Sha256(photo)] = ("team/crm", 5000);
        Write(crm, "customers.csv", Csv("c2000,Bob Other,bob@other.example", $"c1042,{Name},{Email}", "c3000,Carol Third,carol@third.example", "c4000,Dan Fourth,dan@fourth.example"), "team/crm", true);
        Commit(crm, "customers v2");
        git.Run(crm, "branch", "release");
        Write(crm, "customers.csv", Csv("c2000,Bob Other,bob@other.example", $"c1042,{Name},{Email}", "c3000,Carol Third,carol@new.example", "c4000,Dan Fourth,dan@fourth.example"), "team/crm", true);
        Commit(crm, "customers v3");
        git.Run(crm, "push", "origin", "main", "release");

        var analytics = git.PathOf("analytics");
        git.Run(git.Root, "clone", $"{server.BaseUrl}/team/analytics.git", analytics);
        git.Run(analytics, "lfs", "track", "*.jsonl");
        Write(analytics, "exports/customers.jsonl", Lines("{\"id\":\"c2000\",\"spend\":10}", $"{{\"id\":\"c1042\",\"email\":\"{Email}\"}}"), "team/analytics", true);
        Commit(analytics, "export 1");
        Write(analytics, "exports/customers.jsonl", Lines("{\"id\":\"c2000\",\"spend\":12}", $"{{\"id\":\"c1042\",\"email\":\"{Email.ToUpperInvariant()}\"}}", "{\"id\":\"c5000\",\"spend\":1}"), "team/analytics", true);
        Commit(analytics, "export 2");
        git.Run(analytics, "push", "origin", "main");
        Assert.Equal(7, erased.Count);

        // A clone made before the erasure, holding every version.
        var stale = git.PathOf("stale");
        git.Run(git.Root, "clone", $"{server.BaseUrl}/team/crm.git", stale);
        git.Run(stale, "lfs", "fetch", "--all");

        await ErasureServerApi.PostAsync(server, "/api/erasure/path-rules", new { repository = "team/crm", pattern = "data/customers/{subject}/**" }, HttpStatusCode.Created);
        var created = await ErasureServerApi.PostAsync(server, "/api/erasure/requests", new
        {
            subject = Subject,
            legalBasis = "GDPR Art. 17(1)(b): consent withdrawn",
            identifiers = new[] { Email, Name },
            caseInsensitive = true,
        }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var preview = await ErasureServerApi.ApproveAsync(server, id);
        Assert.Equal((7, 5, 2), (preview.GetProperty("summary").GetProperty("objects").GetInt32(), preview.GetProperty("summary").GetProperty("redact").GetInt32(),
            preview.GetProperty("summary").GetProperty("erase").GetInt32()));
        Assert.DoesNotContain(Email, preview.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var done = await ErasureServerApi.WaitForStateAsync(server, id, "completed");
        Assert.Equal(7, done.GetProperty("objectsErased").GetInt32());

        // Every old version answers 410, saying why.
        foreach (var (oid, (repository, size)) in erased)
        {
            var (code, message) = await ErasureServerApi.DownloadAsync(server, repository, token, oid, size);
            Assert.True(code == 410, $"{repository} {oid}: {code} {message}");
            Assert.Contains("data-protection", message, StringComparison.Ordinal);
        }

        // The tips still clone, verify, and no longer hold the subject; other customers are intact.
        var fresh = git.PathOf("fresh");
        git.Run(git.Root, "clone", $"{server.BaseUrl}/team/crm.git", fresh);
        git.Run(fresh, "lfs", "fsck");
        var csv = File.ReadAllText(Path.Combine(fresh, "customers.csv"));
        Assert.DoesNotContain(Subject, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, csv, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Csv("c2000,Bob Other,bob@other.example", "c3000,Carol Third,carol@new.example", "c4000,Dan Fourth,dan@fourth.example"), csv);
        Assert.False(Directory.Exists(Path.Combine(fresh, "data/customers/c1042")));
        Assert.True(File.Exists(Path.Combine(fresh, "data/customers/c2000/profile.json")));
        var commitMessage = git.Run(fresh, "log", "-1", "--format=%an <%ae>%n%B").Output;
        Assert.Contains(id, commitMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Subject, commitMessage, StringComparison.Ordinal);
        git.Run(fresh, "checkout", "release");
        git.Run(fresh, "lfs", "pull");
        Assert.Equal(Csv("c2000,Bob Other,bob@other.example", "c3000,Carol Third,carol@third.example", "c4000,Dan Fourth,dan@fourth.example"),
            File.ReadAllText(Path.Combine(fresh, "customers.csv")));
        var freshAnalytics = git.PathOf("fresh-analytics");
        git.Run(git.Root, "clone", $"{server.BaseUrl}/team/analytics.git", freshAnalytics);
        Assert.Equal(Lines("{\"id\":\"c2000\",\"spend\":12}", "{\"id\":\"c5000\",\"spend\":1}"), File.ReadAllText(Path.Combine(freshAnalytics, "exports/customers.jsonl")));

        // A stale clone cannot bring the erased objects back.
        var push = git.TryRun(stale, "lfs", "push", "--all", "origin");
        Assert.True(push.ExitCode != 0, $"git lfs push --all succeeded:\n{push.Output}\n{push.Error}");
        Assert.Contains("data-protection", push.Output + push.Error, StringComparison.Ordinal);
        foreach (var (oid, (repository, size)) in erased.Where(e => e.Value.Repository == "team/crm"))
        {
            Assert.Equal(410, (await ErasureServerApi.DownloadAsync(server, repository, token, oid, size)).Code);
        }
        var audit = (await ErasureServerApi.GetAsync(server, "/api/audit?limit=1000")).GetRawText();
        Assert.Contains("erasure.upload_refused", audit, StringComparison.Ordinal);

        // Nor point a ref at a commit the server already holds whose tree names erased objects: a new
        // branch there, or main forced back to it, would be a branch no clone can check out.
        foreach (var refspec in new[] { "HEAD:refs/heads/restored", "+HEAD:refs/heads/main" })
        {
            var refPush = git.TryRun(stale, "push", "origin", refspec);
            Assert.True(refPush.ExitCode != 0, $"git push {refspec} succeeded:\n{refPush.Output}\n{refPush.Error}");
            Assert.Contains("erased under a data-protection request", refPush.Output + refPush.Error, StringComparison.Ordinal);
        }
        var remoteRefs = git.Run(stale, "ls-remote", "origin").Output;
        Assert.DoesNotContain("refs/heads/restored", remoteRefs, StringComparison.Ordinal);
        Assert.DoesNotContain(git.Run(stale, "rev-parse", "HEAD").Output.Trim() + "\trefs/heads/main", remoteRefs, StringComparison.Ordinal);

        // Nothing of the identifiers anywhere: database (and its WAL), blobs, repositories, keys, nor the server's log.
        Assert.Equal(string.Empty, ErasureServerApi.GrepDirectory(server.DataDir, Email, Name));
        Assert.True(File.Exists(Path.Combine(server.DataDir, "storageserver.db")));
        Assert.DoesNotContain(Email, server.Log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Name, server.Log, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(id, server.Log, StringComparison.Ordinal);

        // The receipt verifies; a tampered copy does not.
        var receipt = await ErasureServerApi.GetAsync(server, $"/api/erasure/receipts/{id}");
        Assert.Equal(7, receipt.GetProperty("payload").GetProperty("erasedObjects").GetArrayLength());
        Assert.Equal(2, receipt.GetProperty("payload").GetProperty("historyPaths").GetArrayLength());
        Assert.Equal(3, receipt.GetProperty("payload").GetProperty("redactions").GetArrayLength());
        var check = await ErasureServerApi.PostAsync(server, "/api/erasure/receipts/verify", receipt, HttpStatusCode.OK);
        Assert.True(check.GetProperty("valid").GetBoolean(), check.GetRawText());
        var tampered = JsonNode.Parse(receipt.GetRawText())!;
        tampered["payload"]!["completedAt"] = "2020-01-01T00:00:00+00:00"; // the JWS still holds; the payload shown does not match it
        var tamperedCheck = await ErasureServerApi.PostAsync(server, "/api/erasure/receipts/verify", tampered, HttpStatusCode.OK);
        Assert.False(tamperedCheck.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_server_killed_mid_erasure_resumes_after_restart_without_redoing_or_skipping_an_object()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["STORAGESERVER_TEST_KILL_AFTER_ERASED_OBJECTS"] = "2" });
        await server.CreateRepoAsync("team/crash");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/crash"] = "write" });
        var files = Directory.CreateTempSubdirectory("erasure-crash-").FullName;
        var oids = new List<string>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                oids.Add(await LfsApiClient.UploadAsync(server, "team/crash", token, TestFiles.Write(Path.Combine(files, $"{i}.bin"), 1000 + i, seed: 40 + i)));
            }
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
        await ErasureServerApi.PostAsync(server, "/api/erasure/subjects/tags", new { subject = Subject, oids }, HttpStatusCode.OK);
        var id = (await ErasureServerApi.PostAsync(server, "/api/erasure/requests", new { subject = Subject, legalBasis = "Art. 17(1)(a)" }, HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        await ErasureServerApi.ApproveAsync(server, id);

        // The hook kills the process right after the second object.
        var marker = Path.Combine(server.DataDir, "test-erasure-crash-fired");
        for (var i = 0; i < 600 && !(File.Exists(marker) && !await IsUpAsync(server)); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(File.Exists(marker), "the test hook never fired");
        Assert.False(await IsUpAsync(server));
        Assert.Equal(2, ServerDatabase.ErasedItems(server.DataDir, id));

        await server.StartAsync();
        var done = await ErasureServerApi.WaitForStateAsync(server, id, "completed");
        Assert.Equal(5, done.GetProperty("objectsErased").GetInt32());
        var audit = await ErasureServerApi.GetAsync(server, "/api/audit?limit=1000");
        var erasures = audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "erasure.erase" && e.GetProperty("target").GetString() == id).ToList();
        Assert.Equal(5, erasures.Count);
        Assert.Equal(5, erasures.Select(e => e.GetProperty("details").GetString()).Distinct().Count());
        foreach (var oid in oids)
        {
            Assert.Equal(410, (await ErasureServerApi.DownloadAsync(server, "team/crash", token, oid, 0)).Code);
        }
        var receipt = await ErasureServerApi.GetAsync(server, $"/api/erasure/receipts/{id}");
        Assert.True((await ErasureServerApi.PostAsync(server, "/api/erasure/receipts/verify", receipt, HttpStatusCode.OK)).GetProperty("valid").GetBoolean());
        Assert.True((await ErasureServerApi.GetAsync(server, "/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    private static async Task<bool> IsUpAsync(ServerProcess server)
    {
        try
        {
            using var client = server.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(2);
            using var response = await client.GetAsync("/healthz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static string Csv(params string[] rows) => "id,name,email\n" + string.Concat(rows.Select(r => r + "\n"));

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));
}
