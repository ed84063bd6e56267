using System.Text;
using StorageServer.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>
/// A push of 50,000 new refs goes through: the hooks stream the ref list to the server, which
/// reads it line by line (a form field was capped at 4 MiB, about 30,000 refs), and the LFS
/// check and the pointer index see every ref, the last one included.
/// </summary>
public sealed class ManyRefsPushTests(GitServerFixture fixture, ITestOutputHelper output) : IClassFixture<GitServerFixture>, IDisposable
{
    private const int Refs = 50_000;
    private readonly GitSandbox _git = new();

    [Fact]
    public async Task A_push_of_50000_new_refs_is_checked_to_the_last_ref_and_lands()
    {
        var token = await fixture.CreateRepoWithTokenAsync("team/many");
        var remote = fixture.UrlOf("team/many", token);
        var w = _git.PathOf("w");
        _git.Run(_git.Root, "init", w);
        _git.Run(w, "commit", "--allow-empty", "-m", "base");
        var stdin = new StringBuilder();
        for (var i = 0; i < Refs; i++)
        {
            stdin.Append("create refs/heads/branch-").Append(i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).Append(" HEAD\n");
        }
        _git.TryRunWithInput(w, stdin.ToString(), "update-ref", "--stdin").EnsureSuccess();

        // The last ref (by name, as the hooks get them) brings a pointer to an object nobody uploaded.
        var missing = new string('c', 64);
        File.WriteAllText(Path.Combine(w, "last.bin"), $"version https://git-lfs.github.com/spec/v1\noid sha256:{missing}\nsize 10\n");
        _git.Run(w, "add", "last.bin");
        _git.Run(w, "commit", "-m", "pointer");
        _git.Run(w, "branch", "zz-last");
        _git.Run(w, "reset", "--hard", "HEAD~1");
        var push = _git.TryRun(w, "push", remote, "refs/heads/*:refs/heads/*");
        output.WriteLine(push.Error.Length > 2000 ? push.Error[^2000..] : push.Error);
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains(missing, push.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _git.Run(w, "ls-remote", remote).Output.Trim());

        // With the object uploaded, all of it lands and the last ref's pointer is indexed.
        var payload = TestFiles.Write(_git.PathOf("payload.bin"), 10, seed: 3);
        var oid = await LfsApiClient.UploadAsync(fixture.Server, "team/many", token, payload);
        _git.Run(w, "checkout", "zz-last");
        File.WriteAllText(Path.Combine(w, "last.bin"), $"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 10\n");
        _git.Run(w, "commit", "-am", "pointer to an uploaded object");
        _git.Run(w, "push", remote, "refs/heads/*:refs/heads/*");
        var remoteRefs = _git.Run(w, "ls-remote", "--heads", remote).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Refs + 2, remoteRefs.Length); // the branches, zz-last and the initial branch
        Assert.Contains(ServerDatabase.PointerRefs(fixture.Server.DataDir, "team/many"), p => p.Path == "last.bin" && p.Oid == oid);
    }

    public void Dispose() => _git.Dispose();
}
