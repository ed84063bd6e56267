using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>
/// The pre-receive check (no push may reference LFS objects the repository does not hold) and
/// the post-receive pointer index, with real git and real git-lfs pointers.
/// </summary>
public sealed class PushIndexingTests(GitServerFixture fixture) : IClassFixture<GitServerFixture>
{
    /// <summary>Only for the push that bypasses the server: its objects are uploaded already, and there is no LFS endpoint there.</summary>
    private static readonly Dictionary<string, string> SkipLfsPush = new() { ["GIT_LFS_SKIP_PUSH"] = "1" };

    [Fact]
    public async Task A_push_referencing_an_object_the_server_lacks_is_rejected_naming_path_and_oid()
    {
        var token = await fixture.CreateRepoWithTokenAsync("team/reject");
        var otherToken = await fixture.CreateRepoWithTokenAsync("team/reject-other");
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", fixture.UrlOf("team/reject", token), "w");
        var w = git.PathOf("w");
        File.WriteAllText(Path.Combine(w, "readme.txt"), "ok\n");
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "base");
        git.Run(w, "push", "origin", "main");
        var accepted = git.Run(w, "rev-parse", "HEAD").Output.Trim();

        // A pointer committed as plain text, its object never uploaded.
        var oid = new string('b', 64);
        Directory.CreateDirectory(Path.Combine(w, "weird dir"));
        File.WriteAllText(Path.Combine(w, "weird dir", "ünïcode file.bin"), $"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 12345\n");
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "pointer without object");
        var push = git.TryRun(w, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("pre-receive hook declined", push.Error, StringComparison.Ordinal);
        var line = push.Error.Split('\n').FirstOrDefault(l => l.Contains(oid, StringComparison.Ordinal));
        Assert.NotNull(line);
        Assert.StartsWith("remote:", line, StringComparison.Ordinal);
        Assert.Contains("weird dir/ünïcode file.bin", line, StringComparison.Ordinal);
        Assert.Equal(accepted, git.Run(w, "ls-remote", "origin", "refs/heads/main").Output.Split('\t')[0]);
        Assert.Empty(ServerDatabase.PointerRefs(fixture.Server.DataDir, "team/reject"));

        // Held by another repository is not held by this one (no cross-repo leaks through dedup).
        var payload = TestFiles.Write(git.PathOf("payload.bin"), 4096, seed: 7);
        var payloadOid = await LfsApiClient.UploadAsync(fixture.Server, "team/reject-other", otherToken, payload);
        File.WriteAllText(Path.Combine(w, "weird dir", "ünïcode file.bin"), $"version https://git-lfs.github.com/spec/v1\noid sha256:{payloadOid}\nsize 4096\n");
        git.Run(w, "commit", "-a", "--amend", "-m", "pointer held by another repo");
        push = git.TryRun(w, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains(payloadOid, push.Error, StringComparison.Ordinal);

        // Once this repository holds it, the same push passes; a deletion always passes.
        await LfsApiClient.UploadAsync(fixture.Server, "team/reject", token, payload);
        git.Run(w, "push", "origin", "main");
        git.Run(w, "push", "origin", "HEAD:refs/heads/tmp");
        git.Run(w, "push", "origin", "--delete", "tmp");
        Assert.Equal(git.Run(w, "rev-parse", "HEAD").Output.Trim(), git.Run(w, "ls-remote", "origin", "refs/heads/main").Output.Split('\t')[0]);

        // A pointer only in the pushed history (added, then removed before the tip) is refused too,
        // named at its commit: the new-commit check sees it where the tip's tree does not.
        var transientOid = new string('c', 64);
        File.WriteAllText(Path.Combine(w, "transient.bin"), $"version https://git-lfs.github.com/spec/v1\noid sha256:{transientOid}\nsize 7\n");
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "transient pointer");
        var transient = git.Run(w, "rev-parse", "HEAD").Output.Trim();
        git.Run(w, "rm", "-q", "transient.bin");
        git.Run(w, "commit", "-m", "removed again");
        push = git.TryRun(w, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains($"missing: transient.bin (sha256:{transientOid}, 7 bytes) in commit {transient[..12]}", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_git_lfs_pointers_pass_the_check_and_are_indexed_per_introducing_commit()
    {
        const string repo = "team/indexed";
        var token = await fixture.CreateRepoWithTokenAsync(repo);
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", fixture.UrlOf(repo, token), "w");
        var w = git.PathOf("w");
        git.Run(w, "lfs", "track", "*.bin");
        var oids = new Dictionary<string, string>();
        string Write(string path, int seed)
        {
            // Uploaded by git-lfs's pre-push hook; the push check passes only once the server holds it.
            var file = TestFiles.Write(Path.Combine(w, path), 2000 + seed, seed);
            return oids[$"{path}#{seed}"] = TestFiles.Sha256(file);
        }
        string Commit(string message)
        {
            git.Run(w, "add", "-A");
            git.Run(w, "commit", "-m", message);
            return git.Run(w, "rev-parse", "HEAD").Output.Trim();
        }

        var o1 = Write("model.bin", 1);
        var o2 = Write("data/with space é.bin", 2);
        File.WriteAllText(Path.Combine(w, "readme.txt"), "not lfs\n");
        var c1 = Commit("root");
        var o3 = Write("model.bin", 3);
        var c2 = Commit("retrain");
        git.Run(w, "checkout", "-b", "side", c1);
        var o4 = Write("side/ünïcode file.bin", 4);
        var o5 = Write("model.bin", 5);
        var c3 = Commit("side work");
        git.Run(w, "checkout", "main");
        var merge = git.TryRun(w, "merge", "--no-edit", "side");
        Assert.NotEqual(0, merge.ExitCode); // model.bin conflicts
        var o6 = Write("model.bin", 6);
        var m = Commit("merge side, with a new model");
        // A clean merge introduces nothing.
        git.Run(w, "checkout", "-b", "clean", c1);
        File.WriteAllText(Path.Combine(w, "notes.txt"), "n\n");
        Commit("notes");
        git.Run(w, "merge", "--no-edit", "main");
        git.Run(w, "checkout", "main");

        var push = git.TryRun(w, "push", "origin", "main", "side", "clean");
        Assert.True(push.ExitCode == 0, push.Error);

        var expected = new HashSet<(string, string, string)>
        {
            (c1, "model.bin", o1),
            (c1, "data/with space é.bin", o2),
            (c2, "model.bin", o3),
            (c3, "side/ünïcode file.bin", o4),
            (c3, "model.bin", o5),
            (m, "model.bin", o6),
        };
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repo));

        // The rescan finds exactly the same.
        using var admin = fixture.Server.CreateClient(ServerProcess.AdminToken);
        var rescan = await RescanAsync(admin, repo);
        Assert.Equal(0, rescan.GetProperty("added").GetInt32());
        Assert.Equal(0, rescan.GetProperty("unreachable").GetInt32());
        Assert.Equal(6, rescan.GetProperty("pointers").GetInt32());
        Assert.Equal(6, rescan.GetProperty("commits").GetInt32());

        // Rows of commits no ref reaches any more stay: pushed history that retention and holds still cover.
        git.Run(w, "push", "origin", "--delete", "side", "clean");
        git.Run(w, "push", "--force", "origin", $"{c2}:refs/heads/main");
        rescan = await RescanAsync(admin, repo);
        Assert.Equal(2, rescan.GetProperty("unreachable").GetInt32());
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repo));

        // A push that bypasses the server (an admin on the machine: no hook URL, so no check and
        // no indexing) is indexed by the next rescan; the refs it restores make those commits reachable again.
        var o7 = Write("model.bin", 7);
        var c7 = Commit("pushed around the server");
        var bare = Path.Combine(fixture.Server.DataDir, "repos", "team", "indexed.git");
        var direct = git.TryRun(w, SkipLfsPush, "push", "--force", bare, "main", "side", "clean");
        Assert.True(direct.ExitCode == 0, direct.Error);
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repo));
        rescan = await RescanAsync(admin, repo);
        Assert.Equal(1, rescan.GetProperty("added").GetInt32());
        Assert.Equal(0, rescan.GetProperty("unreachable").GetInt32());
        Assert.Equal(7, rescan.GetProperty("pointers").GetInt32());
        expected.Add((c7, "model.bin", o7));
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repo));

        using var user = fixture.Server.CreateClient(token);
        using var denied = await user.PostAsync($"/api/repos/{repo}/rescan", null);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Concurrent_pushes_both_land_and_only_commits_that_landed_are_indexed()
    {
        const string repo = "team/concurrent";
        var token = await fixture.CreateRepoWithTokenAsync(repo);
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", fixture.UrlOf(repo, token), "base");
        var b = git.PathOf("base");
        File.WriteAllText(Path.Combine(b, "readme.txt"), "base\n");
        git.Run(b, "add", ".");
        git.Run(b, "commit", "-m", "base");
        git.Run(b, "push", "origin", "main");
        var clones = new[] { "one", "two" };
        foreach (var name in clones)
        {
            git.Run(git.Root, "clone", fixture.UrlOf(repo, token), name);
        }

        // Different branches at once: both land, both indexed.
        var expected = new HashSet<(string, string, string)>();
        var seed = 10;
        foreach (var name in clones)
        {
            expected.Add(await CommitPointerAsync(git, repo, token, name, $"{name}.bin", seed++));
            git.Run(git.PathOf(name), "checkout", "-q", "-b", $"branch-{name}");
        }
        var pushes = clones.Select(name => Task.Run(() => git.TryRun(git.PathOf(name), "push", "origin", $"branch-{name}"))).ToArray();
        foreach (var push in await Task.WhenAll(pushes))
        {
            Assert.True(push.ExitCode == 0, push.Error);
        }
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repo));

        // The same branch at once: git's ref lock lets one win; the loser's commit is not indexed.
        var candidates = new Dictionary<string, (string, string, string)>();
        foreach (var name in clones)
        {
            git.Run(git.PathOf(name), "checkout", "-q", "main");
            candidates[name] = await CommitPointerAsync(git, repo, token, name, "contested.bin", seed++);
        }
        var results = await Task.WhenAll(clones.Select(name => Task.Run(() => (name, run: git.TryRun(git.PathOf(name), "push", "origin", "main")))));
        var winners = results.Where(r => r.run.ExitCode == 0).Select(r => r.name).ToList();
        Assert.True(winners.Count == 1, string.Join("\n", results.Select(r => r.run.Error)));
        expected.Add(candidates[winners[0]]);
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repo));
        Assert.Equal(candidates[winners[0]].Item1, git.Run(b, "ls-remote", "origin", "refs/heads/main").Output.Split('\t')[0]);
    }

    /// <summary>Commits a pointer file (as plain text) whose object is uploaded to the repository through the LFS API.</summary>
    private async Task<(string Commit, string Path, string Oid)> CommitPointerAsync(GitSandbox git, string repo, string token, string clone, string path, int seed)
    {
        var dir = git.PathOf(clone);
        var payload = TestFiles.Write(git.PathOf($"payload-{seed}"), 3000 + seed, seed);
        var oid = await LfsApiClient.UploadAsync(fixture.Server, repo, token, payload);
        File.WriteAllText(Path.Combine(dir, path), $"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {3000 + seed}\n");
        git.Run(dir, "add", path);
        git.Run(dir, "commit", "-q", "-m", path);
        return (git.Run(dir, "rev-parse", "HEAD").Output.Trim(), path, oid);
    }

    private static async Task<JsonElement> RescanAsync(HttpClient admin, string repo)
    {
        using var response = await admin.PostAsync($"/api/repos/{repo}/rescan", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
