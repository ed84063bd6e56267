using System.Net;
using System.Text;
using StorageServer.EndToEnd.Tests.Erasure;
using StorageServer.EndToEnd.Tests.Support;
using static StorageServer.EndToEnd.Tests.Dvc.DvcRemoteReplayTests;
using static StorageServer.EndToEnd.Tests.Dvc.DvcWireClient;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// GDPR erasure of DVC data, unchanged from LFS: a subject's lines in a DVC-tracked CSV (two
/// versions) and in a CSV inside a tracked directory are found by the content scan and redacted at
/// the tip by a server commit of a new <c>.dvc</c> (and for the directory a new manifest and
/// <c>.dir</c> oid); every old version answers 410, cannot be uploaded again, and the tip pulls whole.
/// </summary>
public sealed class DvcErasureTests
{
    private const string Email = "dana.example@example.org";
    private const string Name = "Dana Example";
    private const string Repo = "team/crm";

    [Fact]
    public async Task A_DVC_tracked_CSV_is_redacted_at_the_tip_with_a_new_dvc_file_and_old_versions_answer_410()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateRepoAsync(Repo);
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { [Repo] = "write" });
        await using var dvc = new DvcWireClient(server.Port, $"/{Repo}.git/info/dvc", DvcServerFixture.Basic("alice", token));
        const string bob = "c2000,Bob Other,bob@other.example";
        var subject = $"c1042,{Name},{Email}";
        var v1 = Csv(bob, subject);
        var v2 = Csv(bob, subject, "c3000,Carol Third,carol@third.example");
        var people = Csv("c5000,Eve Fifth,eve@fifth.example", subject.ToUpperInvariant());
        var notes = new DvcSampleFile("notes.txt", "nothing personal\n"u8.ToArray());
        var manifest = await PythonManifest.CreateAsync([("people.csv", people.Md5), ("notes.txt", notes.Md5)]);
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", $"http://user:{token}@127.0.0.1:{server.Port}/{Repo}.git", "w");
        var w = git.PathOf("w");
        foreach (var (version, message) in new[] { (v1, "customers v1"), (v2, "customers v2") })
        {
            await DvcProject.PushAsync(dvc, null, version, people, notes);
            Assert.True((await dvc.UploadAsync(FilePath(DvcMd5.Of(manifest), manifest: true), manifest)).Status < 400);
            DvcProject.Write(w, $"{server.BaseUrl}/{Repo}.git/info/dvc", new Dictionary<string, string>
            {
                ["data/customers.csv.dvc"] = DvcProject.DvcFile("customers.csv", version.Md5, version.Content.Length),
                ["exports.dvc"] = $"outs:\n- md5: {DvcMd5.Of(manifest)}.dir\n  size: {people.Content.Length + notes.Content.Length}\n  nfiles: 2\n  hash: md5\n  path: exports\n",
            }, ["data/customers.csv", "exports"]);
            git.Run(w, "add", ".");
            git.Run(w, "commit", "-m", message);
            git.Run(w, "push", "origin", "main");
        }

        var created = await ErasureServerApi.PostAsync(server, "/api/erasure/requests", new
        {
            subject = "c1042",
            legalBasis = "GDPR Art. 17(1)(b): consent withdrawn",
            identifiers = new[] { Email, Name },
            caseInsensitive = true,
        }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        await ErasureServerApi.ApproveAsync(server, id);
        var done = await ErasureServerApi.WaitForStateAsync(server, id, "completed");
        Assert.Equal(3, done.GetProperty("objectsErased").GetInt32());

        // The tip: a server commit naming the request, new .dvc files pointing at the redacted successors.
        git.Run(w, "pull", "--ff-only", "origin", "main");
        Assert.Contains(id, git.Run(w, "log", "-1", "--format=%B").Output, StringComparison.Ordinal);
        var redacted = new DvcSampleFile("customers.csv", Encoding.ASCII.GetBytes(CsvText(bob, "c3000,Carol Third,carol@third.example")));
        var customersDvc = File.ReadAllText(Path.Combine(w, "data/customers.csv.dvc"));
        Assert.Equal(DvcProject.DvcFile("customers.csv", redacted.Md5, redacted.Content.Length), customersDvc);
        await AssertDownloadAsync(dvc, FilePath(redacted.Md5), redacted.Content);

        var redactedPeople = new DvcSampleFile("people.csv", Encoding.ASCII.GetBytes(CsvText("c5000,Eve Fifth,eve@fifth.example")));
        var newManifest = await PythonManifest.CreateAsync([("people.csv", redactedPeople.Md5), ("notes.txt", notes.Md5)]);
        Assert.Equal($"outs:\n- md5: {DvcMd5.Of(newManifest)}.dir\n  size: {redactedPeople.Content.Length + notes.Content.Length}\n  nfiles: 2\n  hash: md5\n  path: exports\n",
            File.ReadAllText(Path.Combine(w, "exports.dvc")));
        Assert.Equal(newManifest, await dvc.ReadManifestAsync(FilePath(DvcMd5.Of(newManifest), manifest: true)));
        await AssertDownloadAsync(dvc, FilePath(redactedPeople.Md5), redactedPeople.Content);
        await AssertDownloadAsync(dvc, FilePath(notes.Md5), notes.Content);

        // Every old version answers 410 and may not come back; the old manifest is no longer served.
        foreach (var old in new[] { v1, v2, people })
        {
            var gone = await dvc.DownloadAsync(FilePath(old.Md5));
            Assert.Equal(410, gone.Status);
            Assert.Contains("data-protection", Encoding.UTF8.GetString(gone.Body!), StringComparison.Ordinal);
            Assert.Equal(410, (await dvc.UploadAsync(FilePath(old.Md5), old.Content)).Status);
        }
        Assert.Equal(404, (await dvc.ExistsAsync(FilePath(DvcMd5.Of(manifest), manifest: true))).Status);

        // Nothing of the subject anywhere the server writes, nor in its log.
        Assert.Equal(string.Empty, ErasureServerApi.GrepDirectory(server.DataDir, Email, Name));
        Assert.DoesNotContain(Email, server.Log, StringComparison.OrdinalIgnoreCase);
    }

    private static DvcSampleFile Csv(params string[] rows) => new("x.csv", Encoding.ASCII.GetBytes(CsvText(rows)));

    private static string CsvText(params string[] rows) => "id,name,email\n" + string.Concat(rows.Select(r => r + "\n"));
}
