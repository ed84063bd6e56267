using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage install [--global]</c>: points <c>filter=lfs</c> at git-storage (long-running
/// process filter, required) and installs the hooks, taking over git-lfs's (one line says so).
/// Without <c>--global</c> the config is written to the repository, where it overrides a
/// system-wide git-lfs setup. Also puts the man page where <c>git storage --help</c> finds it.
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
        Help.ManPage.Install(Cli.Build(context), context.GetEnvironmentVariable("PATH"));
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
