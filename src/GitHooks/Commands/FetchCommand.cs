using GitHooks.Filtering;
using GitHooks.Git;

namespace GitHooks.Commands;

/// <summary>What <c>git storage fetch</c> was asked: include/exclude are null when their flag was not given.</summary>
public sealed record FetchRequest(string? Remote, IReadOnlyList<string> Refs, bool All, IReadOnlyList<string>? Include, IReadOnlyList<string>? Exclude, bool Prune);

/// <summary>
/// <c>git storage fetch [remote] [ref…] [--all] [-I …] [-X …] [--prune]</c>: fills the local cache
/// without touching the work tree: the objects of the given refs' trees (default HEAD), only for
/// paths the include/exclude patterns (else <c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c>)
/// allow; with --all every object in the history of the refs (default: all refs), unfiltered.
/// </summary>
public sealed class FetchCommand(ICommandContext context)
{
    public async Task<int> RunAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        if (request.All && (request.Include is not null || request.Exclude is not null))
        {
            throw new LocalStorage.UserException("--all fetches every object and cannot be combined with --include or --exclude.");
        }
        int errors;
        using (var session = await LfsSession.OpenAsync(context, cancellationToken))
        {
            var remote = request.Remote ?? await session.DefaultRemoteAsync(cancellationToken);
            var scanner = new PointerScanner(session.Git);
            var found = new List<ScannedPointer>();
            if (request.All)
            {
                found.AddRange(await scanner.ScanHistoryAsync(request.Refs.Count > 0 ? request.Refs : ["--all"], [], cancellationToken).ToListAsync(cancellationToken));
            }
            else
            {
                var filter = PathFilter.FromConfig(session.Config, request.Include, request.Exclude);
                foreach (var reference in request.Refs.Count > 0 ? request.Refs : ["HEAD"])
                {
                    found.AddRange(await scanner.ScanTreeAsync(reference, cancellationToken).Where(f => filter.Allows(f.Path)).ToListAsync(cancellationToken));
                }
            }
            errors = await DownloadMissingAsync(session, found, remote, cancellationToken);
        }
        if (request.Prune)
        {
            errors += await new PruneCommand(context).RunAsync(new PruneRequest(DryRun: false, VerifyRemote: false, NoVerifyRemote: false, Verbose: false), cancellationToken);
        }
        return errors == 0 ? 0 : 1;
    }

    /// <summary>Downloads the objects of <paramref name="found"/> the cache lacks; returns the number of errors printed.</summary>
    internal static async Task<int> DownloadMissingAsync(LfsSession session, IReadOnlyCollection<ScannedPointer> found, string remote, CancellationToken cancellationToken)
    {
        var missing = found.Select(f => f.Pointer).Where(p => !session.Repository.Objects.Contains(p)).DistinctBy(p => p.Oid).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }
        var names = found.GroupBy(f => f.Pointer.Oid).ToDictionary(g => g.Key, g => g.First().Path);
        var result = await session.DownloadAsync(missing, remote, null, cancellationToken);
        return await TransferReport.PrintAsync(session.Context, result, names, upload: false);
    }
}
