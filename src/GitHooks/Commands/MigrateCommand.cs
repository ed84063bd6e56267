using GitHooks.Filtering;
using GitHooks.Git;
using GitHooks.LocalStorage;
using GitHooks.Migrate;

namespace GitHooks.Commands;

public sealed record MigrateRequest(bool Import, IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, bool Everything,
    IReadOnlyList<string> IncludeRefs, IReadOnlyList<string> ExcludeRefs, IReadOnlyList<string> Branches, bool Yes, bool Verbose, string? Remote, bool SkipFetch = false);

/// <summary>
/// <c>git storage migrate import|export --include … [--everything]</c>: rewrites history as
/// <c>git lfs migrate</c> does (<see cref="HistoryRewriter"/>), so both give the same commits.
/// Import converts matching files to pointers (objects into the local cache) and tracks them;
/// export puts the objects' bytes back (downloading what the cache lacks) and un-tracks them.
/// Refuses to run over uncommitted changes unless <c>--yes</c>. Afterwards the work tree is
/// checked out again, and the rewritten refs must be force-pushed by the user.
/// </summary>
public sealed class MigrateCommand(ICommandContext context)
{
    public async Task<int> RunAsync(MigrateRequest request, CancellationToken cancellationToken)
    {
        var include = PathFilter.Split(request.Include).ToList();
        var exclude = PathFilter.Split(request.Exclude).ToList();
        if (include.Count == 0)
        {
            throw new UserException("say which files to convert with --include, e.g. --include=\"*.bin,data/**\".");
        }
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var git = session.Git;
        if (session.Repository.WorkTree is not null && !request.Yes
            && (await git.RunCheckedAsync(cancellationToken, "status", "--porcelain", "--untracked-files=no")).Trim().Length > 0)
        {
            throw new UserException("the work tree has uncommitted changes, which the checkout after the rewrite would overwrite. Commit or stash them first (or pass --yes to discard them).");
        }
        if (!request.Everything && request.IncludeRefs.Count == 0 && request.ExcludeRefs.Count == 0 && !request.SkipFetch)
        {
            await FetchRemotesAsync(git, cancellationToken);
        }
        var scope = await MigrateScope.ResolveAsync(git, request.Everything, request.IncludeRefs, request.ExcludeRefs, request.Branches, cancellationToken);
        var paths = new PathFilter(include, exclude, gitAttributes: true);
        if (!request.Import)
        {
            await DownloadMissingAsync(session, scope, paths, request.Remote ?? "origin", cancellationToken);
        }
        var before = await RefsAsync(git, scope.Refs, cancellationToken);
        Dictionary<string, string> commits;
        await using (var reader = new CatFileReader(git))
        {
            var converter = new BlobConverter(request.Import, reader, session.Repository.Objects);
            var rewriter = new HistoryRewriter(git, reader, converter, AttributesEditor.For(request.Import, include, exclude), paths, request.Verbose ? context.Out : null);
            commits = await rewriter.RunAsync(scope.Refs, scope.Excluded, session.Repository.Objects.TempDirectory, cancellationToken);
        }
        var after = await RefsAsync(git, scope.Refs, cancellationToken);
        var moved = before.Where(b => after.GetValueOrDefault(b.Key) != b.Value).Select(b => (Ref: b.Key, Old: b.Value, New: after[b.Key])).ToList();
        moved.AddRange(await FollowingRefs.UpdateAsync(git, [.. scope.Refs], commits, cancellationToken));
        foreach (var (name, old, now) in moved)
        {
            await context.Out.WriteLineAsync($"  {name}\t{old} -> {now}");
        }
        var head = await git.RunAsync(cancellationToken, "symbolic-ref", "-q", "HEAD");
        if (session.Repository.WorkTree is not null && head.Succeeded && moved.Any(m => m.Ref == head.StdOut.Trim()))
        {
            await git.RunCheckedAsync(cancellationToken, "reset", "-q", "--hard", "HEAD");
        }
        await context.Error.WriteLineAsync(moved.Count == 0
            ? "migrate: nothing to rewrite."
            : "migrate: done. Check the result, then update the remote with 'git push --force' (with --all/--tags for --everything).");
        return 0;
    }

    /// <summary>Brings every remote's refs up to date, so "unpushed" means unpushed (as git-lfs does; --skip-fetch skips it).</summary>
    private static async Task FetchRemotesAsync(GitRunner git, CancellationToken cancellationToken)
    {
        foreach (var remote in (await git.RunCheckedAsync(cancellationToken, "remote")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fetched = await git.RunAsync(cancellationToken, "fetch", "--quiet", remote);
            if (!fetched.Succeeded)
            {
                throw new UserException($"could not fetch '{remote}' to learn what is already pushed ({fetched.StdErr.Trim()}). Fix the remote, or pass --skip-fetch to trust the refs you have.");
            }
        }
    }

    private static async Task DownloadMissingAsync(LfsSession session, MigrateScope scope, PathFilter paths, string remote, CancellationToken cancellationToken)
    {
        var found = await new PointerScanner(session.Git).ScanHistoryAsync(scope.Refs, [], cancellationToken).Where(f => paths.Allows(f.Path)).ToListAsync(cancellationToken);
        if (await FetchCommand.DownloadMissingAsync(session, found, remote, cancellationToken) > 0)
        {
            throw new UserException($"some objects could not be downloaded from '{remote}' (see above); nothing was rewritten.");
        }
    }

    private static async Task<Dictionary<string, string>> RefsAsync(GitRunner git, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in refs)
        {
            var value = await git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", name);
            if (value.Succeeded)
            {
                values[name] = value.StdOut.Trim();
            }
        }
        return values;
    }
}
