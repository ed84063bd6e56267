using System.Diagnostics;
using System.Net;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Erasure;

/// <summary>
/// The corpus, pushed with the real git-lfs client to two branches and a tag, erased subject by
/// subject: c1042, then c10420 (planned before c1042's successors were committed, so it meets them
/// at the tips), xc1042 and the numeric key 2024. After each step every branch clones with stock
/// git-lfs and holds exactly what the independent oracle says, in every state a request passes:
/// received, previewed, deferred (a legal hold), restricted, erasing, completed.
/// </summary>
public sealed class ErasureStatesEndToEndTests
{
    private static readonly CorpusRequest A = new("c1042", true, ["c1042", "alice.martin@example.com", "Alice Martin"]);
    private static readonly CorpusRequest B = new("c10420", false, ["c10420", "bob.stone@example.com"]);
    private static readonly CorpusRequest C = new("xc1042", false, ["xc1042"]);
    private static readonly CorpusRequest D = new("2024", false, ["2024"]);

    [Fact]
    public async Task Every_branch_clones_in_every_state_and_each_request_removes_exactly_its_subjects_records()
    {
        var pause = Directory.CreateTempSubdirectory("erasure-pause-").FullName;
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["STORAGESERVER_TEST_ERASURE_PAUSE_DIR"] = pause });
        await server.CreateRepoAsync("team/corpus");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/corpus"] = "write" });
        using var git = new GitSandbox();
        git.StoreCredentials(server.BaseUrl, token, "alice");
        var corpus = new ErasureCorpus(git, $"{server.BaseUrl}/team/corpus.git");
        corpus.Push();
        await ErasureServerApi.PostAsync(server, "/api/erasure/path-rules", new { repository = "team/corpus", pattern = "data/customers/{subject}/**" }, HttpStatusCode.Created);

        var a = await CreateAsync(server, A);
        await corpus.CloneEveryBranchAsync("received", []);
        await ErasureServerApi.WaitForStateAsync(server, a, "previewed");
        var b = await CreateAsync(server, B);
        await ErasureServerApi.WaitForStateAsync(server, b, "previewed");
        await corpus.CloneEveryBranchAsync("previewed", []);

        // The preview says what happens at each tip; a tag keeps its version, so the preview is flagged.
        var preview = await ErasureServerApi.GetAsync(server, $"/api/erasure/requests/{a}/preview");
        Assert.Contains("tag-tip", preview.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var effects = preview.GetProperty("tips").GetProperty("effects").EnumerateArray().ToList();
        Assert.Contains(effects, e => e.GetProperty("ref").GetString() == "refs/tags/v1" && e.GetProperty("action").GetString() == "keep");
        Assert.Contains(effects, e => e.GetProperty("ref").GetString() == "refs/heads/main" && e.GetProperty("path").GetString() == ErasureCorpus.Photo
            && e.GetProperty("action").GetString() == "remove");
        var csvItem = preview.GetProperty("objects").GetProperty("items").EnumerateArray()
            .Single(o => o.GetProperty("locations").GetProperty("shown").EnumerateArray().Any(l => l.GetProperty("path").GetString() == "customers.csv")
                && o.GetProperty("oid").GetString() == TestFiles.Sha256(ErasureCorpus.CorpusFile("customers.csv")));
        Assert.Equal((9, 3), (csvItem.GetProperty("records").GetProperty("total").GetInt32(), csvItem.GetProperty("records").GetProperty("removed").GetInt32()));
        await ErasureServerApi.PostAsync(server, $"/api/erasure/requests/{a}/approve", new { }, HttpStatusCode.Conflict);

        // A hold on the tagged version defers both requests; their tips are updated all the same.
        var hold = await ErasureServerApi.PostAsync(server, "/api/holds",
            new { caseReference = "LIT-9", oid = TestFiles.Sha256(ErasureCorpus.CorpusFile("customers.csv")), reason = "litigation" }, HttpStatusCode.Created);
        await ErasureServerApi.PostAsync(server, $"/api/erasure/requests/{a}/approve", new { acknowledgeFlags = true }, HttpStatusCode.OK);
        await ErasureServerApi.WaitForStateAsync(server, a, "deferred");
        await corpus.CloneEveryBranchAsync("deferred", [A]);
        await ErasureServerApi.PostAsync(server, $"/api/erasure/requests/{b}/approve", new { acknowledgeFlags = true }, HttpStatusCode.OK);
        await ErasureServerApi.WaitForStateAsync(server, b, "deferred");
        await corpus.CloneEveryBranchAsync("deferred-both", [A, B]);

        await ErasureServerApi.PostAsync(server, $"/api/holds/{hold.GetProperty("id").GetInt64()}/release", new { reason = "settled" }, HttpStatusCode.OK);
        await ErasureServerApi.WaitForStateAsync(server, a, "completed");
        await ErasureServerApi.WaitForStateAsync(server, b, "completed");
        await corpus.CloneEveryBranchAsync("completed", [A, B]);
        foreach (var id in new[] { a, b })
        {
            var receipt = await ErasureServerApi.GetAsync(server, $"/api/erasure/receipts/{id}");
            Assert.True((await ErasureServerApi.PostAsync(server, "/api/erasure/receipts/verify", receipt, HttpStatusCode.OK)).GetProperty("valid").GetBoolean());
        }

        // Held at the test hooks' checkpoints: restricted, then erasing.
        await File.WriteAllTextAsync(Path.Combine(pause, "pause-restricted"), "");
        var c = await CreateAsync(server, C);
        await ErasureServerApi.ApproveAsync(server, c);
        await WaitForFileAsync(Path.Combine(pause, "at-restricted"));
        Assert.Equal("restricted", (await ErasureServerApi.GetAsync(server, $"/api/erasure/requests/{c}")).GetProperty("state").GetString());
        await corpus.CloneEveryBranchAsync("restricted", [A, B, C]);
        await File.WriteAllTextAsync(Path.Combine(pause, "pause-erasing"), "");
        File.Delete(Path.Combine(pause, "pause-restricted"));
        await WaitForFileAsync(Path.Combine(pause, "at-erasing"));
        Assert.Equal("erasing", (await ErasureServerApi.GetAsync(server, $"/api/erasure/requests/{c}")).GetProperty("state").GetString());
        await corpus.CloneEveryBranchAsync("erasing", [A, B, C]);
        File.Delete(Path.Combine(pause, "pause-erasing"));
        await ErasureServerApi.WaitForStateAsync(server, c, "completed");

        var d = await CreateAsync(server, D);
        await ErasureServerApi.ApproveAsync(server, d);
        await ErasureServerApi.WaitForStateAsync(server, d, "completed");
        await corpus.CloneEveryBranchAsync("final", [A, B, C, D]);

        // The tag was not rewritten: its version of customers.csv answers 410, saying why.
        var (code, message) = await ErasureServerApi.DownloadAsync(server, "team/corpus", token, TestFiles.Sha256(ErasureCorpus.CorpusFile("customers.csv")), 0);
        Assert.Equal(410, code);
        Assert.Contains("data-protection", message, StringComparison.Ordinal);
        Directory.Delete(pause, recursive: true);
    }

    private static async Task<string> CreateAsync(ServerProcess server, CorpusRequest request) =>
        (await ErasureServerApi.PostAsync(server, "/api/erasure/requests", new
        {
            subject = request.Subject,
            legalBasis = "GDPR Art. 17(1)(a)",
            identifiers = request.Identifiers,
            caseInsensitive = request.CaseInsensitive,
        }, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static async Task WaitForFileAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"{Path.GetFileName(path)} never appeared");
            await Task.Delay(100);
        }
    }
}
