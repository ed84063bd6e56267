using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Migrate;

/// <summary>The refs a migration rewrites and the history it leaves alone (fast-export's arguments).</summary>
public sealed record MigrateScope(IReadOnlyList<string> Refs, IReadOnlyList<string> Excluded)
{
    /// <summary>
    /// git-lfs's choice: <c>--everything</c> rewrites every local branch and tag; otherwise the
    /// named branches, <c>--include-ref</c>s (or the current branch) minus <c>^branch</c> and
    /// <c>--exclude-ref</c>s, and, unless refs were chosen with <c>--include-ref</c>/<c>--exclude-ref</c>,
    /// minus everything any remote already has (only unpushed commits are rewritten).
    /// </summary>
    public static async Task<MigrateScope> ResolveAsync(GitRunner git, bool everything, IReadOnlyList<string> includeRefs, IReadOnlyList<string> excludeRefs,
        IReadOnlyList<string> branches, CancellationToken cancellationToken)
    {
        if (everything)
        {
            if (includeRefs.Count > 0 || excludeRefs.Count > 0 || branches.Count > 0)
            {
                throw new UserException("--everything rewrites every local branch and tag; leave out --include-ref, --exclude-ref and branch names.");
            }
            var all = await git.RunCheckedAsync(cancellationToken, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/tags");
            return new MigrateScope([.. all.Split('\n', StringSplitOptions.RemoveEmptyEntries)], []);
        }
        var refs = new List<string>();
        var excluded = new List<string>();
        foreach (var name in includeRefs.Concat(branches.Where(b => !b.StartsWith('^'))))
        {
            refs.Add(await FullNameAsync(git, name, cancellationToken));
        }
        foreach (var name in excludeRefs.Concat(branches.Where(b => b.StartsWith('^')).Select(b => b[1..])))
        {
            excluded.Add(await FullNameAsync(git, name, cancellationToken));
        }
        if (includeRefs.Count == 0 && excludeRefs.Count == 0)
        {
            if (refs.Count == 0)
            {
                var head = await git.RunAsync(cancellationToken, "symbolic-ref", "-q", "HEAD");
                refs.Add(head.Succeeded ? head.StdOut.Trim() : throw new UserException("HEAD is detached: name the branches to migrate, or use --everything."));
            }
            excluded.Add("--remotes");
        }
        return new MigrateScope(refs, excluded);
    }

    private static async Task<string> FullNameAsync(GitRunner git, string name, CancellationToken cancellationToken)
    {
        var full = await git.RunAsync(cancellationToken, "rev-parse", "--symbolic-full-name", name);
        var value = full.StdOut.Trim();
        return full.Succeeded && value.StartsWith("refs/", StringComparison.Ordinal)
            ? value
            : throw new UserException($"'{name}' is not a branch, tag or ref.");
    }
}
