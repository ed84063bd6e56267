using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using StorageServer.EndToEnd.Tests.Support;
using static StorageServer.EndToEnd.Tests.Dvc.DvcWireClient;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// A DVC project pushed over smart HTTP with real git: the push check refuses commits whose DVC
/// outputs are not on the server (or only warns, per repository), and the pointer index records
/// every file DVC tracks (directories through their manifests) like LFS pointers.
/// </summary>
public sealed class DvcPushIndexingTests(DvcServerFixture fixture) : IClassFixture<DvcServerFixture>
{
    [Fact]
    public async Task Outputs_not_on_the_server_are_refused_then_indexed_once_uploaded_with_directories_expanded()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        var sample = await DvcSample.CreateAsync(seed: 21);
        var result = new DvcSampleFile("out/result.txt", "hello world\nid,value\r\n"u8.ToArray());
        var metrics = new DvcSampleFile("metrics.json", "{\"acc\": 0.9}\n"u8.ToArray());
        var crlf = new DvcSampleFile("notes.txt", "line1\r\nline2\r\n"u8.ToArray());
        using var git = new GitSandbox();
        var w = Clone(git, repository, token);
        DvcProject.Write(w, Remote(repository), new Dictionary<string, string>
        {
            ["model.bin.dvc"] = DvcProject.DvcFile("model.bin", sample.Model.Md5, sample.Model.Content.Length),
            ["dataset.dvc"] = DvcProject.DirectoryDvcFile("dataset", sample),
            ["docs/notes.txt.dvc"] = DvcProject.DvcFile("notes.txt", "4fcc82a88ee38e0aa16c17f512c685c9", crlf.Content.Length, legacy: true),
            ["dvc.yaml"] = DvcProject.Pipeline,
            ["dvc.lock"] = DvcProject.Lock(sample, result, metrics),
        }, ["model.bin", "dataset", "metrics.json"]);
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "track data with dvc");

        var refused = git.TryRun(w, "push", "origin", "main");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("4 DVC output(s)", refused.Error, StringComparison.Ordinal);
        foreach (var path in new[] { "model.bin", "dataset", "docs/notes.txt", "out/result.txt" })
        {
            Assert.Contains($"missing: {path} ", refused.Error, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("metrics.json", refused.Error, StringComparison.Ordinal);

        await using (var dvc = fixture.Client(repository, token))
        {
            await DvcProject.PushAsync(dvc, sample, sample.Model, result);
            Assert.Equal(201, (await dvc.UploadAsync(LegacyPath("4fcc82a88ee38e0aa16c17f512c685c9"), crlf.Content)).Status);
        }
        git.Run(w, "push", "origin", "main");
        var commit = git.Run(w, "rev-parse", "HEAD").Output.Trim();

        var expected = new HashSet<(string, string, string)>
        {
            (commit, "model.bin", Sha256(sample.Model.Content)),
            (commit, "dataset", Sha256(sample.Manifest)),
            (commit, "docs/notes.txt", Sha256(crlf.Content)),
            (commit, "out/result.txt", Sha256(result.Content)),
        };
        expected.UnionWith(sample.Dataset.Select(f => (commit, "dataset/" + f.Path, Sha256(f.Content))));
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repository));

        // A rescan from git alone finds the same rows.
        using var admin = fixture.Server.CreateClient(Support.ServerProcess.AdminToken);
        (await admin.PostAsync($"/api/repos/{repository}/rescan", null)).EnsureSuccessStatusCode();
        Assert.Equal(expected, ServerDatabase.PointerRefs(fixture.Server.DataDir, repository));
    }

    [Fact]
    public async Task A_repository_that_only_warns_accepts_the_push_and_indexes_the_data_when_it_arrives()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        using var admin = fixture.Server.CreateClient(Support.ServerProcess.AdminToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/repos/{repository}/dvc", new { pushCheck = "sometimes" })).StatusCode);
        (await admin.PutAsJsonAsync($"/api/repos/{repository}/dvc", new { pushCheck = "warn" })).EnsureSuccessStatusCode();
        var sample = await DvcSample.CreateAsync(seed: 22);
        using var git = new GitSandbox();
        var w = Clone(git, repository, token);
        DvcProject.Write(w, Remote(repository), new Dictionary<string, string>
        {
            ["data/dataset.dvc"] = DvcProject.DirectoryDvcFile("dataset", sample),
            ["model.bin.dvc"] = DvcProject.DvcFile("model.bin", sample.Model.Md5, sample.Model.Content.Length),
        }, ["model.bin", "data/dataset"]);
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "git first");

        var pushed = git.Run(w, "push", "origin", "main");
        Assert.Contains("warning: 2 DVC output(s)", pushed.Error, StringComparison.Ordinal);
        Assert.Empty(ServerDatabase.PointerRefs(fixture.Server.DataDir, repository));

        await using (var dvc = fixture.Client(repository, token))
        {
            await DvcProject.PushAsync(dvc, sample, sample.Model);
        }
        var commit = git.Run(w, "rev-parse", "HEAD").Output.Trim();
        var rows = ServerDatabase.PointerRefs(fixture.Server.DataDir, repository);
        Assert.Contains((commit, "model.bin", Sha256(sample.Model.Content)), rows);
        Assert.Contains((commit, "data/dataset", Sha256(sample.Manifest)), rows);
        Assert.Equal(sample.Dataset.Select(f => "data/dataset/" + f.Path).Order(), rows.Select(r => r.Path).Where(p => p.StartsWith("data/dataset/", StringComparison.Ordinal)).Order());

        var settings = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/repos/{repository}/dvc");
        Assert.Equal("warn", settings.GetProperty("pushCheck").GetString());
        Assert.EndsWith($"/{repository}.git/info/dvc", settings.GetProperty("remoteUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(sample.Dataset.Count + 2, settings.GetProperty("objects").GetInt64());
        Assert.Equal(1, settings.GetProperty("manifests").GetInt64());
    }

    private string Clone(GitSandbox git, string repository, string token)
    {
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{fixture.Server.Port}/{repository}.git", "w");
        return git.PathOf("w");
    }

    private string Remote(string repository) => $"{fixture.Server.BaseUrl}/{repository}.git/info/dvc";

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
