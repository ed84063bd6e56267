using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>post-checkout &lt;old&gt; &lt;new&gt; &lt;branch-flag&gt;</c>: git has written pointers for
/// objects the cache lacked; download them and put the data in place. For a branch switch only
/// the paths that differ between the two commits are looked at; otherwise the whole index.
/// </summary>
public sealed class PostCheckoutCommand(ICommandContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (context.GetEnvironmentVariable("GIT_LFS_SKIP_SMUDGE") == "1")
        {
            return 0;
        }
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        IReadOnlyCollection<string>? paths = null;
        if (args.Count >= 3 && args[2] == "1" && !CheckoutPointers.IsNullSha(args[0]) && args[0] != args[1])
        {
            var diff = await session.Git.RunAsync(cancellationToken, "diff", "--name-only", "-z", "--no-renames", args[0], args[1]);
            if (diff.Succeeded)
            {
                paths = diff.StdOut.Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
        }
        return await CheckoutPointers.RunAsync(session, paths, null, cancellationToken, afterCheckout: true);
    }
}

/// <summary><c>post-merge &lt;squash&gt;</c>: a merge or pull may have brought new pointers.</summary>
public sealed class PostMergeCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (context.GetEnvironmentVariable("GIT_LFS_SKIP_SMUDGE") == "1")
        {
            return 0;
        }
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        return await CheckoutPointers.RunAsync(session, null, null, cancellationToken, afterCheckout: true);
    }
}

/// <summary><c>post-rewrite amend|rebase</c> (rewritten commits on stdin): a rebase checks out new trees.</summary>
public sealed class PostRewriteCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await context.StdIn.CopyToAsync(Stream.Null, cancellationToken); // git expects us to read it
        if (context.GetEnvironmentVariable("GIT_LFS_SKIP_SMUDGE") == "1")
        {
            return 0;
        }
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        return await CheckoutPointers.RunAsync(session, null, null, cancellationToken, refreshStale: true, afterCheckout: true);
    }
}
