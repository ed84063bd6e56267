using GitHooks.Filtering;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage checkout [path…]</c>, as <c>git lfs checkout</c>: replaces pointer files in the
/// work tree with their data from the local cache, without downloading anything (after a
/// <c>fetch</c>, or a <c>GIT_LFS_SKIP_SMUDGE=1</c> clone). Paths are relative to the current
/// directory; a directory means everything under it.
/// </summary>
public sealed class CheckoutCommand(ICommandContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        if (session.Repository.WorkTree is null)
        {
            throw new UserException("'checkout' needs a work tree.");
        }
        var filter = paths.Count == 0 ? PathFilter.All : new PathFilter(Rooted(paths, session.Repository.WorkTree), []);
        var checkout = new WorkTreeCheckout(session.Git, session.Repository);
        var pointers = (await checkout.FindPointersAsync(await checkout.IndexPathsAsync(cancellationToken), cancellationToken))
            .Where(p => filter.Allows(p.Path)).ToList();
        foreach (var missing in pointers.Where(p => !session.Repository.Objects.Contains(p.Pointer)))
        {
            await context.Error.WriteLineAsync($"Skipped checkout for \"{missing.Path}\", content not local. Use 'git storage fetch' to download.");
        }
        var replaced = await checkout.ReplaceAsync(pointers, cancellationToken);
        await context.Error.WriteLineAsync($"Checked out {replaced.Count} of {pointers.Count} files left as pointers.");
        return 0;
    }

    /// <summary>Root-anchored patterns for paths given relative to the current directory.</summary>
    private List<string> Rooted(IReadOnlyList<string> paths, string root)
    {
        var rooted = new List<string>();
        foreach (var path in paths)
        {
            var relative = Path.GetRelativePath(root, Path.GetFullPath(path, context.WorkingDirectory)).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                throw new UserException($"'{path}' is outside the repository.");
            }
            rooted.Add(relative is "." ? "/**" : "/" + relative);
        }
        return rooted;
    }
}
