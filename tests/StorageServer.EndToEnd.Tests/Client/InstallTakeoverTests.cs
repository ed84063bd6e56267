using GitHooks.Git;

namespace StorageServer.EndToEnd.Tests.Client;

/// <summary>
/// The migration trap: a repository that used git-lfs, on a machine without git-lfs. Chained
/// behind git storage's hook, git-lfs's pre-push failed every push and told the user to delete the
/// hook. <c>git storage install</c> now takes git-lfs's hooks over (one line says so) and the push
/// works; <c>uninstall</c> leaves no hook, no <c>.local</c> and no filter section behind.
/// </summary>
public sealed class InstallTakeoverTests : IAsyncLifetime
{
    private SideBySide _scene = null!;
    private string _noGitLfsPath = null!;

    public async Task InitializeAsync()
    {
        _scene = await SideBySide.StartAsync();
        _noGitLfsPath = PathWithout("git-lfs", _scene.Storage.PathOf("no-git-lfs-bin"));
    }

    public async Task DisposeAsync() => await _scene.DisposeAsync();

    /// <summary>The sandbox's PATH with every directory's tools but <paramref name="tool"/> (linked into one directory).</summary>
    private string PathWithout(string tool, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = _scene.Storage.Environment["PATH"].Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var entry in path.Skip(1).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(entry))
            {
                var link = Path.Combine(directory, Path.GetFileName(file));
                if (Path.GetFileName(file) != tool && !File.Exists(link))
                {
                    File.CreateSymbolicLink(link, file);
                }
            }
        }
        return path[0] + ":" + directory;
    }

    private GitRun WithoutGitLfs(string repo, params string[] arguments) =>
        _scene.Storage.TryRun(repo, new Dictionary<string, string> { ["PATH"] = _noGitLfsPath }, arguments);

    [Fact]
    public async Task Install_takes_over_git_lfs_hooks_so_pushes_work_without_git_lfs_and_uninstall_leaves_a_clean_repo()
    {
        await _scene.Server.CreateRepoAsync("team/was-lfs");
        var repo = _scene.Storage.PathOf("was-lfs");
        _scene.Storage.Run(_scene.Storage.Root, "clone", "-q", _scene.Url("team/was-lfs"), repo);
        _scene.Storage.Run(repo, "lfs", "install", "--local"); // the repository used git-lfs before
        var hooks = Path.Combine(repo, ".git", "hooks");
        Assert.True(GitLfsHooks.IsGitLfsHook(Path.Combine(hooks, "pre-push"), "pre-push"));
        _scene.Storage.Run(repo, "config", "--local", "--remove-section", "filter.lfs"); // git storage's global filter applies
        _scene.Storage.Run(repo, "storage", "track", "*.bin");
        var data = TestFiles.Sha256(TestFiles.Write(Path.Combine(repo, "a.bin"), 50_000, 1));
        _scene.Storage.Run(repo, "add", "-A");
        _scene.Storage.Run(repo, "commit", "-qm", "data");

        // The trap as an earlier install left it: git-lfs's pre-push chained as pre-push.local.
        File.Move(Path.Combine(hooks, "pre-push"), Path.Combine(hooks, "pre-push.local"));
        File.WriteAllText(Path.Combine(hooks, "pre-push"), HookInstaller.Script("pre-push"));
        File.SetUnixFileMode(Path.Combine(hooks, "pre-push"), File.GetUnixFileMode(Path.Combine(hooks, "pre-push.local")));
        var trapped = WithoutGitLfs(repo, "push", "origin", "main");
        Assert.NotEqual(0, trapped.ExitCode);
        Assert.Contains("'git-lfs' was not found on your path", trapped.Error, StringComparison.Ordinal);

        var install = WithoutGitLfs(repo, "storage", "install").EnsureSuccess();
        Assert.Equal("Replaced git-lfs's hooks (pre-push, post-checkout, post-commit, post-merge): git storage does their work now.\n", install.Error);
        Assert.Empty(Directory.GetFiles(hooks, "*.local"));
        Assert.False(File.Exists(Path.Combine(hooks, "post-commit")));
        WithoutGitLfs(repo, "push", "origin", "main").EnsureSuccess();
        var clone = _scene.Lfs.PathOf("was-lfs-clone");
        _scene.Lfs.Run(_scene.Lfs.Root, "clone", "-q", _scene.Url("team/was-lfs"), clone);
        Assert.Equal(data, TestFiles.Sha256(Path.Combine(clone, "a.bin")));

        WithoutGitLfs(repo, "storage", "uninstall").EnsureSuccess();
        Assert.DoesNotContain(Directory.GetFiles(hooks), f => !f.EndsWith(".sample", StringComparison.Ordinal));
        Assert.False(_scene.Storage.TryRun(repo, "config", "--local", "--get-regexp", "^filter\\.lfs").Succeeded);
        Assert.DoesNotContain("[filter \"lfs\"]", File.ReadAllText(Path.Combine(repo, ".git", "config")), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_there_through_git_and_as_a_command()
    {
        _scene.Storage.Run(_scene.Storage.Root, "storage", "install", "--global");
        var manual = _scene.Storage.TryRun(_scene.Storage.Root, new Dictionary<string, string> { ["MANPAGER"] = "cat", ["PAGER"] = "cat" }, "storage", "--help");
        Assert.True(manual.ExitCode == 0, manual.Error);
        Assert.DoesNotContain("No manual entry", manual.Output + manual.Error, StringComparison.Ordinal);
        Assert.Contains("git storage prune", manual.Output, StringComparison.Ordinal);
        Assert.Contains("git storage migrate import", manual.Output, StringComparison.Ordinal);

        var prune = _scene.Storage.Run(_scene.Storage.Root, "storage", "help", "prune").Output;
        Assert.Contains("--verify-remote", prune, StringComparison.Ordinal);
        var unknown = _scene.Storage.TryRun(_scene.Storage.Root, "storage", "help", "frobnicate");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no such command 'frobnicate'", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("migrate", unknown.Error, StringComparison.Ordinal);
    }
}
