using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage install [--global]</c>: points <c>filter=lfs</c> at git-storage (long-running
/// process filter, required) and installs the hooks. Without <c>--global</c> the config is
/// written to the repository, where it overrides a system-wide git-lfs setup.
/// </summary>
public sealed class InstallCommand(ICommandContext context)
{
    public static readonly IReadOnlyList<(string Key, string Value)> FilterConfig =
    [
        ("filter.lfs.process", "git-storage filter-process"),
        ("filter.lfs.clean", "git-storage clean -- %f"),
        ("filter.lfs.smudge", "git-storage smudge -- %f"),
        ("filter.lfs.required", "true"),
    ];

    public async Task<int> RunAsync(bool global, CancellationToken cancellationToken)
    {
        var git = new GitRunner(context.WorkingDirectory, context.GitEnvironment);
        var repository = await Repository.DiscoverAsync(git, cancellationToken);
        if (repository is null && !global)
        {
            throw new UserException("Not in a git repository. Run this inside one, or use 'git storage install --global'.");
        }
        var scope = global ? "--global" : "--local";
        foreach (var (key, value) in FilterConfig)
        {
            await git.RunCheckedAsync(cancellationToken, "config", scope, "--replace-all", key, value);
        }
        if (repository is not null)
        {
            var hooks = await HooksDirectoryAsync(git, cancellationToken);
            foreach (var message in new HookInstaller(hooks).InstallAll(onlyIfAbsent: false))
            {
                await context.Error.WriteLineAsync(message);
            }
        }
        await context.Out.WriteLineAsync(global ? "git storage configured globally." : "git storage initialized.");
        return 0;
    }

    /// <summary>The hooks directory git really uses (honours core.hooksPath).</summary>
    public static async Task<string> HooksDirectoryAsync(GitRunner git, CancellationToken cancellationToken)
    {
        var path = (await git.RunCheckedAsync(cancellationToken, "rev-parse", "--git-path", "hooks")).Trim();
        return Path.GetFullPath(path, git.WorkingDirectory);
    }
}

/// <summary><c>git storage uninstall [--global]</c>: removes our filter config and hooks, restoring chained hooks.</summary>
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
        }
        if (repository is not null)
        {
            new HookInstaller(await InstallCommand.HooksDirectoryAsync(git, cancellationToken)).UninstallAll();
        }
        await context.Out.WriteLineAsync("git storage uninstalled.");
        return 0;
    }
}
