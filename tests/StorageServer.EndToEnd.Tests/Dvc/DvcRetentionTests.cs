using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.EndToEnd.Tests.Retention;
using StorageServer.EndToEnd.Tests.Support;
using static StorageServer.EndToEnd.Tests.Dvc.DvcRemoteReplayTests;
using static StorageServer.EndToEnd.Tests.Dvc.DvcWireClient;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// Retention on DVC data, unchanged from LFS: a model and a tracked directory pushed over three
/// versions with real git and DVC-shaped uploads; the middle version, referenced by no tip once
/// the next one lands, is trashed after the policy's days (its directory manifest with its files)
/// and swept, while the tagged first version and the tip stay whole and pullable, and a branch
/// pushed at the swept version's commit is refused; a maximum age
/// removes an expired DVC-tracked file from the tip as it removes an LFS pointer.
/// </summary>
public sealed class DvcRetentionTests : IAsyncLifetime
{
    private const string Repo = "team/models";
    private readonly string _offsetFile = Path.Combine(Path.GetTempPath(), $"storageserver-clock-{Guid.NewGuid():N}");
    private ServerProcess _server = null!;
    private HttpClient _admin = null!;
    private double _offsetSeconds;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["STORAGESERVER_TEST_CLOCK_OFFSET_FILE"] = _offsetFile });
        _admin = _server.CreateClient(ServerProcess.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        File.Delete(_offsetFile);
    }

    [Fact]
    public async Task An_old_model_version_and_directory_are_reclaimed_while_the_tagged_version_and_the_tip_stay_pullable()
    {
        await _server.CreateRepoAsync(Repo);
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        (await _admin.PostAsJsonAsync("/api/retention/policies", new { name = "models 30 days", repository = Repo, keepDaysAfterDereference = 30 })).EnsureSuccessStatusCode();
        await using var dvc = new DvcWireClient(_server.Port, $"/{Repo}.git/info/dvc", DvcServerFixture.Basic("alice", token));
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{_server.Port}/{Repo}.git", "w");
        var w = git.PathOf("w");
        var versions = new List<(DvcSampleFile Model, DvcSample Dataset)>();
        for (var version = 1; version <= 3; version++)
        {
            var dataset = await DvcSample.CreateAsync(seed: 30 + version);
            var model = dataset.Model with { Path = "model.bin" };
            versions.Add((model, dataset));
            await DvcProject.PushAsync(dvc, dataset, model);
            DvcProject.Write(w, $"{_server.BaseUrl}/{Repo}.git/info/dvc", new Dictionary<string, string>
            {
                ["model.bin.dvc"] = DvcProject.DvcFile("model.bin", model.Md5, model.Content.Length),
                ["dataset.dvc"] = DvcProject.DirectoryDvcFile("dataset", dataset),
            }, ["model.bin", "dataset"]);
            git.Run(w, "add", ".");
            git.Run(w, "commit", "-m", $"model v{version}");
            git.Run(w, "push", "origin", "main");
            if (version == 1)
            {
                git.Run(w, "tag", "v1");
                git.Run(w, "push", "origin", "v1");
            }
        }
        var (oldModel, oldDataset) = versions[1];
        // The old version's own objects: model, manifest, and the two files that differ from the others.
        var reclaimed = new[] { FilePath(oldModel.Md5), FilePath(oldDataset.ManifestMd5, manifest: true), FilePath(oldDataset.Dataset[3].Md5), FilePath(oldDataset.Dataset[4].Md5) };

        await AdvanceAsync(TimeSpan.FromDays(29));
        Assert.Equal(0, (await RunAsync("mark")).GetProperty("trashed").GetInt64());
        await AdvanceAsync(TimeSpan.FromDays(2));
        var mark = await RunAsync("mark");
        Assert.Equal(reclaimed.Length, mark.GetProperty("trashed").GetInt64());
        foreach (var path in reclaimed)
        {
            Assert.Equal(404, (await dvc.ExistsAsync(path)).Status);
        }
        await AssertPullableAsync(dvc, versions[0]);
        await AssertPullableAsync(dvc, versions[2]);

        var stored = RetentionRuns.StoredObjects(_server.DataDir);
        await AdvanceAsync(TimeSpan.FromDays(8));
        var sweep = await RunAsync("sweep");
        Assert.Equal(reclaimed.Length, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(stored.Count - reclaimed.Length, RetentionRuns.StoredObjects(_server.DataDir).Count);
        foreach (var path in reclaimed)
        {
            Assert.Equal(410, (await dvc.ExistsAsync(path)).Status);
        }
        await AssertPullableAsync(dvc, versions[0]);
        await AssertPullableAsync(dvc, versions[2]);

        // A branch pushed at the swept version's commit (no new commit) would not pull: refused under
        // enforce, naming the lost outputs; under warn accepted with them listed.
        var middle = git.Run(w, "rev-parse", "HEAD~1").Output.Trim();
        var refused = git.TryRun(w, "push", "origin", $"{middle}:refs/heads/old");
        Assert.False(refused.Succeeded, refused.Output + refused.Error);
        Assert.Contains("push rejected: 2 DVC output(s) at the pushed tips are not on the server", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"missing: model.bin (md5 {oldModel.Md5}, in model.bin.dvc) at pushed tip {middle[..12]}", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"missing: dataset (md5 {oldDataset.ManifestMd5}.dir, in dataset.dvc)", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("refs/heads/old", git.Run(w, "ls-remote", "origin").Output, StringComparison.Ordinal);
        (await _admin.PutAsJsonAsync($"/api/repos/{Repo}/dvc", new { pushCheck = "warn" })).EnsureSuccessStatusCode();
        var warned = git.Run(w, "push", "origin", $"{middle}:refs/heads/old");
        Assert.Contains("warning: 2 DVC output(s)", warned.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_age_removes_an_expired_DVC_tracked_file_from_the_tip_by_deleting_its_dvc_file_and_leaves_the_others()
    {
        await _server.CreateRepoAsync(Repo);
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        (await _admin.PostAsJsonAsync("/api/retention/policies", new { name = "raw 10 days", repository = Repo, pathGlob = "raw/**", maxAgeDays = 10 })).EnsureSuccessStatusCode();
        await using var dvc = new DvcWireClient(_server.Port, $"/{Repo}.git/info/dvc", DvcServerFixture.Basic("alice", token));
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{_server.Port}/{Repo}.git", "w");
        var w = git.PathOf("w");
        var raw = new DvcSampleFile("people.csv", "id,name\n1,Ann\n"u8.ToArray());
        var model = new DvcSampleFile("model.bin", "weights v1\n"u8.ToArray());
        await DvcProject.PushAsync(dvc, null, raw, model);
        var modelDvc = DvcProject.DvcFile("model.bin", model.Md5, model.Content.Length);
        DvcProject.Write(w, $"{_server.BaseUrl}/{Repo}.git/info/dvc", new Dictionary<string, string>
        {
            ["raw/people.csv.dvc"] = DvcProject.DvcFile("people.csv", raw.Md5, raw.Content.Length),
            ["model.bin.dvc"] = modelDvc,
        }, ["raw/people.csv", "model.bin"]);
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "data");
        git.Run(w, "push", "origin", "main");

        await AdvanceAsync(TimeSpan.FromDays(9));
        Assert.Equal(0, (await RunAsync("mark")).GetProperty("filesExpired").GetInt64());
        await AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(1, (await RunAsync("mark")).GetProperty("filesExpired").GetInt64());

        git.Run(w, "pull", "--ff-only", "origin", "main");
        Assert.False(File.Exists(Path.Combine(w, "raw/people.csv.dvc")));
        Assert.Equal(modelDvc, File.ReadAllText(Path.Combine(w, "model.bin.dvc")));
        Assert.Contains("raw/people.csv", git.Run(w, "log", "-1", "--format=%B").Output, StringComparison.Ordinal);
        // History still names it: stored until normal reclaim, as for LFS.
        await AssertDownloadAsync(dvc, FilePath(raw.Md5), raw.Content);
        await AssertDownloadAsync(dvc, FilePath(model.Md5), model.Content);
    }

    [Fact]
    public async Task A_DVC_file_at_a_protected_tip_is_kept_and_keep_last_versions_counts_DVC_versions_by_data_path()
    {
        // team/tip: one version of a model, at main's tip only; 30 days after it was first seen the
        // policy's clock alone would release it, so only the tip (rule 1) keeps it.
        const string TipRepo = "team/tip";
        await _server.CreateRepoAsync(TipRepo);
        await _server.CreateRepoAsync(Repo);
        var token = await _server.CreateTokenAsync("alice", new Dictionary<string, string> { [TipRepo] = "write", [Repo] = "write" });
        (await _admin.PostAsJsonAsync("/api/retention/policies", new { name = "tip 30 days", repository = TipRepo, keepDaysAfterDereference = 30 })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync("/api/retention/policies", new { name = "last 2", repository = Repo, keepLastVersions = 2 })).EnsureSuccessStatusCode();
        await using var tipDvc = new DvcWireClient(_server.Port, $"/{TipRepo}.git/info/dvc", DvcServerFixture.Basic("alice", token));
        await using var dvc = new DvcWireClient(_server.Port, $"/{Repo}.git/info/dvc", DvcServerFixture.Basic("alice", token));
        using var git = new GitSandbox();
        var only = new DvcSampleFile("model.bin", "the only weights\n"u8.ToArray());
        await CommitModelAsync(git, tipDvc, TipRepo, token, "t", only, tag: null);

        // team/models: four versions of model.bin on main, v1 tagged; keep the last 2 per path.
        var models = Enumerable.Range(1, 4).Select(v => new DvcSampleFile("model.bin", System.Text.Encoding.UTF8.GetBytes($"weights v{v}\n"))).ToList();
        for (var v = 0; v < models.Count; v++)
        {
            await CommitModelAsync(git, dvc, Repo, token, "m", models[v], tag: v == 0 ? "v1" : null);
        }

        await AdvanceAsync(TimeSpan.FromDays(31));
        Assert.Equal(1, (await RunAsync("mark")).GetProperty("trashed").GetInt64());
        await AssertDownloadAsync(tipDvc, FilePath(only.Md5), only.Content);
        Assert.Equal(404, (await dvc.ExistsAsync(FilePath(models[1].Md5))).Status);
        foreach (var kept in new[] { models[0], models[2], models[3] })
        {
            await AssertDownloadAsync(dvc, FilePath(kept.Md5), kept.Content);
        }
    }

    /// <summary>Uploads <paramref name="model"/> as DVC does, then commits and pushes its <c>.dvc</c> file (and a tag).</summary>
    private async Task CommitModelAsync(GitSandbox git, DvcWireClient dvc, string repo, string token, string dir, DvcSampleFile model, string? tag)
    {
        var w = git.PathOf(dir);
        if (!Directory.Exists(w))
        {
            git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{_server.Port}/{repo}.git", dir);
        }
        await DvcProject.PushAsync(dvc, null, model);
        DvcProject.Write(w, $"{_server.BaseUrl}/{repo}.git/info/dvc",
            new Dictionary<string, string> { ["model.bin.dvc"] = DvcProject.DvcFile("model.bin", model.Md5, model.Content.Length) }, ["model.bin"]);
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", $"model {model.Md5}");
        git.Run(w, "push", "origin", "main");
        if (tag is not null)
        {
            git.Run(w, "tag", tag);
            git.Run(w, "push", "origin", tag);
        }
    }

    /// <summary>What <c>dvc pull</c> of that version needs: the manifest readable, every file downloadable with its bytes.</summary>
    private static async Task AssertPullableAsync(DvcWireClient dvc, (DvcSampleFile Model, DvcSample Dataset) version)
    {
        Assert.Equal(version.Dataset.Manifest, await dvc.ReadManifestAsync(FilePath(version.Dataset.ManifestMd5, manifest: true)));
        foreach (var file in version.Dataset.Dataset.Append(version.Model))
        {
            await AssertDownloadAsync(dvc, FilePath(file.Md5), file.Content);
        }
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        _offsetSeconds += by.TotalSeconds;
        await File.WriteAllTextAsync(_offsetFile, _offsetSeconds.ToString(CultureInfo.InvariantCulture));
        File.SetLastWriteTimeUtc(_offsetFile, File.GetLastWriteTimeUtc(_offsetFile).AddSeconds(_offsetSeconds / 1000 + 1));
    }

    private Task<JsonElement> RunAsync(string kind) => RetentionRuns.RunAsync(_admin, kind, () => _server.Log);
}
