using System.Net;
using System.Net.Http.Json;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Retention;

/// <summary>
/// The histories of issue #10, each pushed with real git and git-lfs into a repository of its own
/// on one server, then one retention cycle for all of them: two days later a mark, eight days
/// later (past the trash window) a sweep. Each test then clones what git still names and checks
/// that every large file comes back. Before the fixes each of these lost data.
/// </summary>
public sealed class RetentionDefectsFixture : IAsyncLifetime
{
    public const string Slash = "defects/slash";
    public const string Tags = "defects/tags";
    public const string Paths = "defects/paths";
    public const string Scratch = "defects/scratch";
    public const string Crlf = "defects/crlf";
    public const string Refused = "defects/refused";

    private readonly ServerTestClock _clock = new();
    private HttpClient _admin = null!;

    public ServerProcess Server { get; private set; } = null!;

    public GitSandbox Git { get; } = new();

    public string Token { get; private set; } = "";

    /// <summary>SHA-256 of each file the tests expect back, by a name the test knows.</summary>
    public Dictionary<string, string> Expected { get; } = new(StringComparer.Ordinal);

    /// <summary>The mark of the cycle, as the runs API answered it.</summary>
    public System.Text.Json.JsonElement Mark { get; private set; }

    public string Url(string repository) => $"http://user:{Token}@127.0.0.1:{Server.Port}/{repository}.git";

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(_clock.Environment);
        _admin = Server.CreateClient(ServerProcess.AdminToken);
        var repositories = new[] { Slash, Tags, Paths, Scratch, Crlf, Refused };
        foreach (var repository in repositories)
        {
            await Server.CreateRepoAsync(repository);
        }
        Token = await Server.CreateTokenAsync("alice", repositories.ToDictionary(r => r, _ => "write"));

        await PolicyAsync(new { name = "slash 1 day", repository = Slash, keepDaysAfterDereference = 1 });
        SlashNamedRefs();
        await PolicyAsync(new { name = "tags 1 day", repository = Tags, keepDaysAfterDereference = 1 });
        TagOfATag();
        await PolicyAsync(new { name = "scratch paths", repository = Paths, pathGlob = "scratch/**", keepDaysAfterDereference = 1 });
        SameBytesInAndOutOfAPathScope();
        await PolicyAsync(new { name = "scratch branches", repository = Scratch, refGlob = "refs/heads/scratch*", keepDaysAfterDereference = 1 });
        SameBytesOnMainAndOnAScratchBranch();
        await NonCanonicalPointerUnderAPathHoldAsync();

        await _clock.AdvanceAsync(TimeSpan.FromDays(2));
        Mark = await RetentionRuns.RunAsync(_admin, "mark", () => Server.Log);
        await _clock.AdvanceAsync(TimeSpan.FromDays(8));
        await RetentionRuns.RunAsync(_admin, "sweep", () => Server.Log);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await Server.DisposeAsync();
        Git.Dispose();
        _clock.Dispose();
    }

    /// <summary>A fresh clone of the repository (checking out <paramref name="branch"/>), smudged by git-lfs.</summary>
    public string Clone(string repository, string name, string? branch = null)
    {
        string[] arguments = branch is null ? ["clone", Url(repository), name] : ["clone", "-b", branch, Url(repository), name];
        Git.Run(Git.Root, arguments);
        return Git.PathOf(name);
    }

    /// <summary>Branch <c>feature/x</c> and tag <c>releases/v1</c>: their files exist nowhere else.</summary>
    private void SlashNamedRefs()
    {
        var w = NewWorkTree(Slash, "slash");
        Commit(w, "base.bin", 10, "base");
        Git.Run(w, "push", "origin", "main");
        Git.Run(w, "checkout", "-q", "-b", "feature/x");
        Expected["feature"] = Commit(w, "feature.bin", 11, "feature");
        Git.Run(w, "push", "origin", "feature/x");
        Git.Run(w, "checkout", "-q", "-b", "unpushed", "main");
        Expected["release"] = Commit(w, "release.bin", 12, "release");
        Git.Run(w, "tag", "releases/v1");
        Git.Run(w, "push", "origin", "refs/tags/releases/v1");
    }

    /// <summary>A signed re-tag (<c>v1-signed</c> → <c>v1</c> → commit); then <c>v1</c> is deleted and main moves on.</summary>
    private void TagOfATag()
    {
        var w = NewWorkTree(Tags, "tags");
        Expected["v1"] = Commit(w, "model.bin", 20, "v1");
        Git.Run(w, "tag", "-a", "v1", "-m", "v1");
        Git.Run(w, "tag", "-a", "v1-signed", "-m", "signed", "v1");
        Git.Run(w, "push", "origin", "main", "v1", "v1-signed");
        Commit(w, "model.bin", 21, "v2");
        Git.Run(w, "push", "origin", "main", ":refs/tags/v1");
    }

    /// <summary>The same bytes at <c>scratch/a.bin</c> (in the policy's pathGlob) and at <c>keep/a.bin</c> (not), both then deleted.</summary>
    private void SameBytesInAndOutOfAPathScope()
    {
        var w = NewWorkTree(Paths, "paths");
        Expected["keep"] = Write(w, "scratch/a.bin", 30);
        Write(w, "keep/a.bin", 30);
        Git.Run(w, "add", ".");
        Git.Run(w, "commit", "-q", "-m", "both");
        Git.Run(w, "rm", "-q", "-r", "scratch", "keep");
        Git.Run(w, "commit", "-q", "-m", "gone");
        Git.Run(w, "push", "origin", "main");
    }

    /// <summary>A file in main's history that branch <c>scratch-1</c> (in the policy's refGlob) also has in its history.</summary>
    private void SameBytesOnMainAndOnAScratchBranch()
    {
        var w = NewWorkTree(Scratch, "scratch");
        Expected["main-history"] = Commit(w, "data.bin", 40, "data");
        Git.Run(w, "checkout", "-q", "-b", "scratch-1");
        Git.Run(w, "rm", "-q", "data.bin");
        Git.Run(w, "commit", "-q", "-m", "scratch drops it");
        Git.Run(w, "checkout", "-q", "main");
        Git.Run(w, "rm", "-q", "data.bin");
        Git.Run(w, "commit", "-q", "-m", "main drops it");
        Git.Run(w, "push", "origin", "main", "scratch-1");
    }

    /// <summary>
    /// A pointer git-lfs accepts but that is not canonical (CRLF lines, <c>size +N</c>) at main's
    /// tip, its object uploaded through the API, under a path hold on <c>*.bin</c>.
    /// </summary>
    private async Task NonCanonicalPointerUnderAPathHoldAsync()
    {
        var w = NewWorkTree(Crlf, "crlf");
        var data = TestFiles.Write(Git.PathOf("crlf-data.bin"), 50_000, seed: 50);
        var oid = await LfsApiClient.UploadAsync(Server, Crlf, Token, data);
        Expected["crlf"] = oid;
        var pointer = Git.PathOf("crlf-pointer.txt");
        await File.WriteAllTextAsync(pointer, $"version https://git-lfs.github.com/spec/v1\r\noid sha256:{oid}\r\nsize +50000\r\n");
        var blob = Git.Run(w, "hash-object", "-w", "--no-filters", pointer).Output.Trim();
        Git.Run(w, "update-index", "--add", "--cacheinfo", $"100644,{blob},data/x.bin");
        Git.Run(w, "commit", "-q", "-m", "non-canonical pointer");
        Git.Run(w, "push", "--no-verify", "origin", "main");
        using var hold = await _admin.PostAsJsonAsync("/api/holds", new { caseReference = "CASE-10", repository = Crlf, path = "*.bin", reason = "issue 10" });
        Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
    }

    private string NewWorkTree(string repository, string name)
    {
        var w = Clone(repository, name + "-work");
        Git.Run(w, "lfs", "track", "*.bin");
        Git.Run(w, "add", ".gitattributes");
        Git.Run(w, "commit", "-q", "-m", "track");
        return w;
    }

    private string Commit(string w, string path, int seed, string message)
    {
        var hash = Write(w, path, seed);
        Git.Run(w, "add", path);
        Git.Run(w, "commit", "-q", "-m", message);
        return hash;
    }

    private static string Write(string w, string path, int seed) => TestFiles.Sha256(TestFiles.Write(Path.Combine(w, path), 20_000 + seed, seed));

    private async Task PolicyAsync(object policy)
    {
        using var response = await _admin.PostAsJsonAsync("/api/retention/policies", policy);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
