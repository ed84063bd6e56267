using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage filter-process</c>: the long-running filter git starts once per command.
/// Like git-lfs, it also puts the hooks in place when none exist yet, which is how a fresh clone
/// of a repository gets its post-checkout hook in time to download the data.
/// </summary>
public sealed class FilterProcessCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var git = new GitRunner(context.WorkingDirectory, context.GitEnvironment);
        var repository = await Repository.RequireAsync(git, cancellationToken);
        await EnsureHooksAsync(git, context, cancellationToken);
        var server = new FilterProcessServer(context.StdIn, context.StdOut, new FileFilter(repository.Objects), repository.Objects);
        await server.RunAsync(cancellationToken);
        return 0;
    }

    internal static async Task EnsureHooksAsync(GitRunner git, ICommandContext context, CancellationToken cancellationToken)
    {
        if (context.GetEnvironmentVariable("GIT_STORAGE_SKIP_HOOKS") == "1")
        {
            return;
        }
        try
        {
            new HookInstaller(await InstallCommand.HooksDirectoryAsync(git, cancellationToken)).InstallAll(onlyIfAbsent: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or GitException)
        {
            // Hooks are a convenience here; the filter must work regardless.
        }
    }
}

/// <summary><c>git storage clean -- &lt;path&gt;</c>: single-file fallback of the filter, stdin to stdout.</summary>
public sealed class CleanCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repository = await Repository.RequireAsync(new GitRunner(context.WorkingDirectory, context.GitEnvironment), cancellationToken);
        await new FileFilter(repository.Objects).CleanAsync(context.StdIn, context.StdOut, cancellationToken);
        await context.StdOut.FlushAsync(cancellationToken);
        return 0;
    }
}

/// <summary><c>git storage smudge -- &lt;path&gt;</c>: single-file fallback; data from the cache, else the pointer.</summary>
public sealed class SmudgeCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repository = await Repository.RequireAsync(new GitRunner(context.WorkingDirectory, context.GitEnvironment), cancellationToken);
        await new FileFilter(repository.Objects).SmudgeAsync(context.StdIn, context.StdOut, cancellationToken);
        await context.StdOut.FlushAsync(cancellationToken);
        return 0;
    }
}
