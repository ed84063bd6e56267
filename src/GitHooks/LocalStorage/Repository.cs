using GitHooks.Git;

namespace GitHooks.LocalStorage;

/// <summary>Where a repository keeps things: work tree root, git dir, and the LFS cache.</summary>
public sealed record Repository(string? WorkTree, string GitDirectory, LfsObjectStore Objects)
{
    /// <summary>
    /// Locates the repository around <paramref name="git"/>'s working directory. The cache lives
    /// under the common git dir, so linked worktrees share one cache, as with git-lfs.
    /// </summary>
    public static async Task<Repository?> DiscoverAsync(GitRunner git, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(cancellationToken, "rev-parse", "--path-format=absolute", "--git-common-dir");
        if (!result.Succeeded)
        {
            return null;
        }
        var gitDir = result.StdOut.Trim();
        // Bare repositories have no work tree; rev-parse fails for them, which is fine.
        var top = await git.RunAsync(cancellationToken, "rev-parse", "--show-toplevel");
        var workTree = top.Succeeded ? top.StdOut.Trim() : null;
        return new Repository(workTree, gitDir, new LfsObjectStore(Path.Combine(gitDir, "lfs")));
    }

    public static async Task<Repository> RequireAsync(GitRunner git, CancellationToken cancellationToken) =>
        await DiscoverAsync(git, cancellationToken) ?? throw new UserException("Not in a git repository.");
}

/// <summary>An error meant for the user: printed as-is, without a stack trace.</summary>
public class UserException(string message) : Exception(message);
