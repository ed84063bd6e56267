using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage uninstall [--global]</c>: removes our filter config (and the <c>[filter "lfs"]</c>
/// section when nothing else is left in it) and our hooks, putting back the user's own hooks that
/// were chained as <c>.local</c>. What remains is the state before install, minus git-lfs's hooks
/// (git-lfs writes them again itself when it is used).
/// </summary>
public sealed class UninstallCommand(ICommandContext context)
{
    public async Task<int> RunAsync(bool global, CancellationToken cancellationToken)
    {
        var git = new GitRunner(context.WorkingDirectory, context.GitEnvironment);
        var repository = await Repository.DiscoverAsync(git, cancellationToken);
        var scope = global ? "--global" : "--local";
        if (repository is not null || global)
        {
            foreach (var (key, _) in InstallCommand.FilterConfig)
            {
                // Only our own values: a git-lfs setup in the same scope is not ours to remove.
                await git.RunAsync(["config", scope, "--unset-all", key, "^git-storage|^true$"], null, cancellationToken);
            }
            var left = await git.RunAsync(cancellationToken, "config", scope, "--get-regexp", @"^filter\.lfs\.");
            if (!left.Succeeded || left.StdOut.Trim().Length == 0)
            {
                await git.RunAsync(cancellationToken, "config", scope, "--remove-section", "filter.lfs");
            }
        }
        if (repository is not null)
        {
            new HookInstaller(await InstallCommand.HooksDirectoryAsync(git, cancellationToken)).UninstallAll();
        }
        await context.Out.WriteLineAsync("git storage uninstalled.");
        return 0;
    }
}
