using GitHooks.Git;

namespace GitHooks.Tests.Unit;

public sealed class HookInstallerTests : IDisposable
{
    private readonly string _hooks = Path.Combine(Path.GetTempPath(), "gs-hooks-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_hooks, recursive: true);

    private static string GitLfsHook(string hook) =>
        $"#!/bin/sh\ncommand -v git-lfs >/dev/null 2>&1 || {{ echo >&2 \"\\nThis repository is configured for Git LFS but 'git-lfs' was not found on your path. If you no longer wish to use Git LFS, remove this hook by deleting '.git/hooks/{hook}'.\\n\"; exit 2; }}\ngit lfs {hook} \"$@\"\n";

    [Fact]
    public void Existing_hook_is_kept_as_local_and_restored_on_uninstall()
    {
        Directory.CreateDirectory(_hooks);
        var userHook = "#!/bin/sh\necho user hook\n";
        File.WriteAllText(Path.Combine(_hooks, "pre-push"), userHook);
        var installer = new HookInstaller(_hooks);

        var messages = installer.InstallAll(onlyIfAbsent: false);

        Assert.Single(messages);
        Assert.Equal(userHook, File.ReadAllText(Path.Combine(_hooks, "pre-push.local")));
        Assert.All(HookInstaller.Hooks, h => Assert.True(HookInstaller.IsOurs(Path.Combine(_hooks, h))));
        Assert.Contains("git-storage pre-push \"$@\" < \"$input\"", File.ReadAllText(Path.Combine(_hooks, "pre-push")), StringComparison.Ordinal);
        Assert.Contains("exec git-storage post-checkout \"$@\"", File.ReadAllText(Path.Combine(_hooks, "post-checkout")), StringComparison.Ordinal);

        installer.InstallAll(onlyIfAbsent: false); // idempotent: no second chaining
        Assert.Equal(userHook, File.ReadAllText(Path.Combine(_hooks, "pre-push.local")));

        installer.UninstallAll();
        Assert.Equal(userHook, File.ReadAllText(Path.Combine(_hooks, "pre-push")));
        Assert.False(File.Exists(Path.Combine(_hooks, "post-checkout")));
    }

    [Fact]
    public void Git_lfs_hooks_are_taken_over_not_chained_and_an_earlier_chain_is_undone()
    {
        Directory.CreateDirectory(_hooks);
        File.WriteAllText(Path.Combine(_hooks, "post-checkout"), GitLfsHook("post-checkout"));
        File.WriteAllText(Path.Combine(_hooks, "post-commit"), GitLfsHook("post-commit"));
        // An older git storage chained git-lfs's pre-push as pre-push.local: the trap of issue 16.
        File.WriteAllText(Path.Combine(_hooks, "pre-push"), HookInstaller.Script("pre-push"));
        File.WriteAllText(Path.Combine(_hooks, "pre-push.local"), GitLfsHook("pre-push"));
        var userMerge = "#!/bin/sh\ngit lfs post-merge \"$@\"\necho and my own step\n";
        File.WriteAllText(Path.Combine(_hooks, "post-merge"), userMerge);

        var messages = new HookInstaller(_hooks).InstallAll(onlyIfAbsent: false);

        Assert.Equal("Replaced git-lfs's hooks (pre-push, post-checkout, post-commit): git storage does their work now.", messages[0]);
        Assert.False(File.Exists(Path.Combine(_hooks, "pre-push.local")));
        Assert.False(File.Exists(Path.Combine(_hooks, "post-commit")));
        Assert.False(File.Exists(Path.Combine(_hooks, "post-checkout.local")));
        Assert.All(HookInstaller.Hooks, h => Assert.True(HookInstaller.IsOurs(Path.Combine(_hooks, h))));
        // A script that does more than call git-lfs is the user's: chained, not deleted.
        Assert.Equal(userMerge, File.ReadAllText(Path.Combine(_hooks, "post-merge.local")));
        Assert.Equal(2, messages.Count);
    }

    [Fact]
    public void Only_if_absent_leaves_foreign_hooks_alone_and_git_lfs_ones_unless_told()
    {
        Directory.CreateDirectory(_hooks);
        File.WriteAllText(Path.Combine(_hooks, "post-merge"), "#!/bin/sh\ngit lfs post-merge \"$@\"\n");
        new HookInstaller(_hooks).InstallAll(onlyIfAbsent: true, takeOverGitLfs: false);
        Assert.False(HookInstaller.IsOurs(Path.Combine(_hooks, "post-merge")));
        Assert.True(HookInstaller.IsOurs(Path.Combine(_hooks, "pre-push")));

        new HookInstaller(_hooks).InstallAll(onlyIfAbsent: true, takeOverGitLfs: true);
        Assert.True(HookInstaller.IsOurs(Path.Combine(_hooks, "post-merge")));
    }
}
