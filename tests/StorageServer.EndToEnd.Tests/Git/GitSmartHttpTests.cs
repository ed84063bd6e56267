using System.Net;
using System.Net.Http.Headers;
using System.Text;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>Clone, fetch and push with the real git client over smart HTTP, and git's view of auth.</summary>
public sealed class GitSmartHttpTests(GitServerFixture fixture) : IClassFixture<GitServerFixture>
{
    [Fact]
    public async Task Clone_push_clone_fetch_branch_and_delete_work_end_to_end()
    {
        var token = await fixture.CreateRepoWithTokenAsync("team/roundtrip");
        using var git = new GitSandbox();
        git.StoreCredentials(fixture.Server.BaseUrl, token);
        var url = fixture.UrlOf("team/roundtrip");

        var clone = git.Run(git.Root, "clone", url, "a");
        Assert.Contains("empty repository", clone.Error, StringComparison.Ordinal);
        var a = git.PathOf("a");
        File.WriteAllText(Path.Combine(a, "hello.txt"), "hello\n");
        git.Run(a, "add", ".");
        git.Run(a, "commit", "-m", "first");
        git.Run(a, "push", "origin", "main");

        // Without the .git suffix too.
        git.Run(git.Root, "clone", fixture.UrlOf("team/roundtrip", gitSuffix: false), "b");
        var b = git.PathOf("b");
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(b, "hello.txt")));

        File.WriteAllText(Path.Combine(a, "second.txt"), "2\n");
        git.Run(a, "add", ".");
        git.Run(a, "commit", "-m", "second");
        git.Run(a, "push", "origin", "main");
        git.Run(b, "fetch", "origin");
        Assert.Equal(Head(git, a), git.Run(b, "rev-parse", "origin/main").Output.Trim());

        git.Run(a, "checkout", "-b", "feature");
        File.WriteAllText(Path.Combine(a, "feature.txt"), "f\n");
        git.Run(a, "add", ".");
        git.Run(a, "commit", "-m", "feature");
        git.Run(a, "push", "origin", "feature");
        var refs = git.Run(a, "ls-remote", "origin").Output;
        Assert.Contains($"{Head(git, a)}\trefs/heads/feature", refs, StringComparison.Ordinal);

        git.Run(a, "push", "origin", "--delete", "feature");
        refs = git.Run(a, "ls-remote", "origin").Output;
        Assert.DoesNotContain("refs/heads/feature", refs, StringComparison.Ordinal);
        Assert.Contains("refs/heads/main", refs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_token_clones_but_its_push_is_refused_with_403()
    {
        var writer = await fixture.CreateRepoWithTokenAsync("team/readonly");
        var reader = await fixture.Server.CreateTokenAsync("bob", new Dictionary<string, string> { ["team/readonly"] = "read" });
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", fixture.UrlOf("team/readonly", writer), "w");
        var w = git.PathOf("w");
        File.WriteAllText(Path.Combine(w, "x.txt"), "x\n");
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "x");
        git.Run(w, "push", "origin", "main");

        git.Run(git.Root, "clone", fixture.UrlOf("team/readonly", reader), "r");
        var r = git.PathOf("r");
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(r, "x.txt")));
        File.WriteAllText(Path.Combine(r, "y.txt"), "y\n");
        git.Run(r, "add", ".");
        git.Run(r, "commit", "-m", "y");
        var push = git.TryRun(r, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("403", push.Error, StringComparison.Ordinal);
        Assert.Equal(Head(git, w), git.Run(r, "ls-remote", "origin", "refs/heads/main").Output.Split('\t')[0]);
    }

    [Fact]
    public async Task A_token_for_another_repository_sees_not_found()
    {
        await fixture.CreateRepoWithTokenAsync("team/secret");
        var other = await fixture.CreateRepoWithTokenAsync("team/other");
        using var git = new GitSandbox();
        var clone = git.TryRun(git.Root, "clone", fixture.UrlOf("team/secret", other), "s");
        Assert.NotEqual(0, clone.ExitCode);
        Assert.Contains("not found", clone.Error, StringComparison.Ordinal);

        using var http = fixture.Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = Basic(other);
        using var response = await http.GetAsync("/team/secret.git/info/refs?service=git-upload-pack");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var unknown = await http.GetAsync("/team/nonexistent.git/info/refs?service=git-upload-pack");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Without_or_with_wrong_credentials_git_gets_a_401_basic_challenge()
    {
        await fixture.CreateRepoWithTokenAsync("team/auth");
        using var git = new GitSandbox();

        var anonymous = git.TryRun(git.Root, "clone", fixture.UrlOf("team/auth"), "n");
        Assert.NotEqual(0, anonymous.ExitCode);
        // git got the challenge and asked for a user name (prompts are off in the sandbox).
        Assert.Contains("could not read Username", anonymous.Error, StringComparison.Ordinal);

        var wrong = git.TryRun(git.Root, "clone", fixture.UrlOf("team/auth", "not-a-valid-token"), "w");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("Authentication failed", wrong.Error, StringComparison.Ordinal);

        using var http = fixture.Server.CreateClient();
        foreach (var service in new[] { "git-upload-pack", "git-receive-pack" })
        {
            using var response = await http.GetAsync($"/team/auth.git/info/refs?service={service}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic realm=\"StorageServer\"", response.Headers.WwwAuthenticate.ToString());
        }
        http.DefaultRequestHeaders.Authorization = Basic("not-a-valid-token");
        using var bad = await http.GetAsync("/team/auth.git/info/refs?service=git-upload-pack");
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task A_public_repository_clones_anonymously_but_asks_for_credentials_to_push()
    {
        await fixture.Server.CreateRepoAsync("team/public", allowAnonymousRead: true);
        var token = await fixture.Server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/public"] = "write" });
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", fixture.UrlOf("team/public", token), "w");
        var w = git.PathOf("w");
        File.WriteAllText(Path.Combine(w, "open.txt"), "open\n");
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "open");
        git.Run(w, "push", "origin", "main");

        // A second sandbox: the first one's credential store now holds the token.
        using var stranger = new GitSandbox();
        stranger.Run(stranger.Root, "clone", fixture.UrlOf("team/public"), "anon");
        var anon = stranger.PathOf("anon");
        Assert.Equal("open\n", File.ReadAllText(Path.Combine(anon, "open.txt")));
        stranger.Run(anon, "commit", "--allow-empty", "-m", "anonymous");
        var push = stranger.TryRun(anon, "push", "origin", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("could not read Username", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_smart_endpoints_are_served()
    {
        var token = await fixture.CreateRepoWithTokenAsync("team/dumb");
        using var http = fixture.Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = Basic(token);
        using var advertisement = await http.GetAsync("/team/dumb.git/info/refs?service=git-upload-pack");
        Assert.Equal(HttpStatusCode.OK, advertisement.StatusCode);
        Assert.Equal("application/x-git-upload-pack-advertisement", advertisement.Content.Headers.ContentType?.MediaType);
        using var dumb = await http.GetAsync("/team/dumb.git/info/refs");
        Assert.Equal(HttpStatusCode.Forbidden, dumb.StatusCode);
        using var head = await http.GetAsync("/team/dumb.git/HEAD");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var config = await http.GetAsync("/team/dumb.git/config");
        Assert.Equal(HttpStatusCode.NotFound, config.StatusCode);
        using var hook = await http.PostAsync("/internal/hooks/pre-receive", new StringContent("repository=team/dumb", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NotFound, hook.StatusCode);
    }

    [Fact]
    public async Task A_gzip_compressed_upload_pack_request_is_inflated_by_http_backend()
    {
        var token = await fixture.CreateRepoWithTokenAsync("team/gzip");
        using var git = new GitSandbox();
        git.Run(git.Root, "clone", fixture.UrlOf("team/gzip", token), "w");
        var w = git.PathOf("w");
        File.WriteAllText(Path.Combine(w, "a.txt"), "a\n");
        git.Run(w, "add", ".");
        git.Run(w, "commit", "-m", "a");
        git.Run(w, "push", "origin", "main");

        using var http = fixture.Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = Basic(token);
        using var response = await http.SendAsync(UploadPackRequest("team/gzip", Head(git, w), gzip: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-git-upload-pack-result", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains("PACK", Encoding.ASCII.GetString(body), StringComparison.Ordinal);
    }

    /// <summary>A protocol v0 fetch of one commit, as git sends it (optionally gzip-compressed).</summary>
    internal static HttpRequestMessage UploadPackRequest(string repository, string commit, bool gzip)
    {
        static string Pkt(string line) => (line.Length + 4).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + line;
        var payload = Encoding.ASCII.GetBytes(Pkt($"want {commit} ofs-delta\n") + "0000" + Pkt("done\n"));
        if (gzip)
        {
            using var buffer = new MemoryStream();
            using (var zip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(payload);
            }
            payload = buffer.ToArray();
        }
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-upload-pack-request");
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        var path = new Uri($"/{repository}.git/git-upload-pack", UriKind.Relative);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    private static string Head(GitSandbox git, string dir) => git.Run(dir, "rev-parse", "HEAD").Output.Trim();

    private static AuthenticationHeaderValue Basic(string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"user:{token}")));
}
