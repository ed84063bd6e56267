using GitHooks.Filtering;
using GitHooks.LocalStorage;
using StorageServer.Protocol;

namespace GitHooks.Commands;

/// <summary>
/// The work the post-checkout, post-merge and post-rewrite hooks and <c>pull</c> share: find the
/// pointer files among some paths, download the missing objects in batches, and put the data in
/// place. Paths the filter (<c>--include</c>/<c>--exclude</c>, else <c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c>)
/// leaves out stay pointers. Returns the exit code: non-zero when an object could not be had (except 410).
/// </summary>
public static class CheckoutPointers
{
    /// <param name="refreshStale">After a rewrite (rebase) git may have rewritten the index behind
    /// our earlier replacements; only then is the extra <c>diff-files</c> pass worth its cost.</param>
    /// <param name="afterCheckout">Run as a hook after a git command: objects the filter already
    /// failed to download in a delayed checkout (and warned about) are not tried again.</param>
    /// <param name="filter">Which paths to download; null: the configured fetch include/exclude.</param>
    public static async Task<int> RunAsync(LfsSession session, IReadOnlyCollection<string>? paths, string? remote, CancellationToken cancellationToken,
        bool refreshStale = false, bool afterCheckout = false, PathFilter? filter = null)
    {
        if (session.Repository.WorkTree is null)
        {
            return 0;
        }
        var delayFailures = afterCheckout ? DelayFailures.Take(session.Repository.Objects) : [];
        var trace = Trace.Start(session.Context);
        var checkout = new WorkTreeCheckout(session.Git, session.Repository);
        paths ??= await checkout.IndexPathsAsync(cancellationToken);
        filter ??= PathFilter.FromConfig(session.Config);
        var pointers = (await checkout.FindPointersAsync(paths, cancellationToken)).Where(p => filter.Allows(p.Path)).ToList();
        await trace.StepAsync($"found {pointers.Count} pointer files among {paths.Count} paths");
        if (refreshStale)
        {
            var stale = await new StaleIndexEntries(session.Git).RefreshAsync(cancellationToken);
            await trace.StepAsync($"refreshed {stale.Count} stale index entries");
        }
        if (pointers.Count == 0)
        {
            return 0;
        }
        var errors = 0;
        var missing = pointers.Where(p => !session.Repository.Objects.Contains(p.Pointer)).Select(p => p.Pointer).ToList();
        if (delayFailures.Count > 0)
        {
            // Reported by the filter already; a 410 is no error, anything else still fails the hook.
            errors += missing.Where(p => delayFailures.TryGetValue(p.Oid, out var code) && code != 410).DistinctBy(p => p.Oid).Count();
            missing.RemoveAll(p => delayFailures.ContainsKey(p.Oid));
        }
        if (missing.Count > 0)
        {
            remote ??= await session.DefaultRemoteAsync(cancellationToken);
            try
            {
                var result = await session.DownloadAsync(missing, remote, null, cancellationToken);
                var names = pointers.GroupBy(p => p.Pointer.Oid).ToDictionary(g => g.Key, g => g.First().Path);
                errors = await TransferReport.PrintAsync(session.Context, result, names, upload: false);
                await trace.StepAsync($"downloaded {result.Transferred.Count} objects");
            }
            catch (UserException ex)
            {
                await session.Context.Error.WriteLineAsync($"error: could not download LFS objects: {ex.Message}");
                await session.Context.Error.WriteLineAsync("The files are left as pointers; run 'git storage pull' to try again.");
                errors++;
            }
        }
        var replaced = await checkout.ReplaceAsync(pointers, cancellationToken);
        await trace.StepAsync($"replaced {replaced.Count} files and updated the index");
        return errors == 0 ? 0 : 1;
    }

    public static bool IsNullSha(string sha) => sha.Length > 0 && sha.All(c => c == '0');
}
