using System.Text;
using StorageServer.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace StorageServer.EndToEnd.Tests.Git;

/// <summary>
/// A push whose ref list is larger than 4 MiB goes through: the hooks stream the ref list to the
/// server, which reads it line by line (a form field was capped at 4 MiB: a push of 50,000 refs
/// failed), and the LFS check and the pointer index see every ref, the last one included. Long ref
/// names (a shared directory of twelve 240-character segments, about 2,900 characters) make the list
/// that large with 1,500 refs: git's own client spends minutes of CPU on a push of tens of thousands
/// of refs over HTTP (send-pack), which would measure git, not this server.
/// </summary>
public sealed class ManyRefsPushTests(GitServerFixture fixture, ITestOutputHelper output) : IClassFixture<GitServerFixture>, IDisposable
{
    private const int Refs = 1_500;
    private static readonly string LongName = string.Join('/', Enumerable.Range(0, 12).Select(i => new string((char)('a' + i), 240)));
    private readonly GitSandbox _git = new();

    [Fact]
    public async Task A_push_of_a_ref_list_over_4_MiB_is_checked_to_the_last_ref_and_lands()
    {
        var token = await fixture.CreateRepoWithTokenAsync("team/many");
        var remote = fixture.UrlOf("team/many", token);
        var w = _git.PathOf("w");
        _git.Run(_git.Root, "init", w);
        _git.Run(w, "commit", "--allow-empty", "-m", "base");
        var stdin = new StringBuilder();
        for (var i = 0; i < Refs; i++)
        {
            stdin.Append("create refs/heads/").Append(LongName).Append("/branch-").Append(i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).Append(" HEAD\n");
        }
        // "<old> <new> <ref>\n" per ref, as the hooks get it: more than ASP.NET's 4 MiB form value limit.
        Assert.True(Refs * (41 + 41 + "refs/heads//branch-00000".Length + LongName.Length + 1) > 4 * 1024 * 1024);
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
        // Amended: the refused commit must not reach the server as history of the new one.
        _git.Run(w, "commit", "--amend", "-am", "pointer to an uploaded object");
        _git.Run(w, "push", remote, "refs/heads/*:refs/heads/*");
        var remoteRefs = _git.Run(w, "ls-remote", "--heads", remote).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Refs + 2, remoteRefs.Length); // the branches, zz-last and the initial branch
        Assert.Contains(ServerDatabase.PointerRefs(fixture.Server.DataDir, "team/many"), p => p.Path == "last.bin" && p.Oid == oid);
    }

    public void Dispose() => _git.Dispose();
}
