using GitHooks.Git;

namespace GitHooks.Tests.Unit;

public sealed class HookInstallerTests : IDisposable
{
    private readonly string _hooks = Path.Combine(Path.GetTempPath(), "gs-hooks-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_hooks, recursive: true);

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
    public void Only_if_absent_leaves_foreign_hooks_alone()
    {
        Directory.CreateDirectory(_hooks);
        File.WriteAllText(Path.Combine(_hooks, "post-merge"), "#!/bin/sh\ngit lfs post-merge \"$@\"\n");
        new HookInstaller(_hooks).InstallAll(onlyIfAbsent: true);
        Assert.False(HookInstaller.IsOurs(Path.Combine(_hooks, "post-merge")));
        Assert.True(HookInstaller.IsOurs(Path.Combine(_hooks, "pre-push")));
    }
}
