using Microsoft.Extensions.Options;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Git;
using StorageServer.Git.Refs;
using StorageServer.Retention.Planning;
using StorageServer.Retention.Reachability;

namespace StorageServer.Retention.Keeping;

/// <summary>
/// Reads a <see cref="RepositoryKeepState"/>: for the mark from the refresh it just made, for the
/// sweep read-only and fresh (refs, policies, the pointer index and the clock as they are now).
/// History is read only when a history rule needs it: which refs hold each commit (for refGlob and
/// keepLastVersions), the commits no ref reaches, and the last versions along each ref.
/// </summary>
public sealed class KeepStateBuilder(
    StorageDbContext db, RefReader refReader, RepositoryGraph graph, CommitHistories histories, TreeDiffs diffs, UnreachableCommits unreachable,
    GitRepositoryLayout layout, PolicyLoader policyLoader, IOptions<RetentionOptions> options)
{
    /// <summary>The state behind a mark, from its refresh's snapshot.</summary>
    public async Task<RepositoryKeepState> BuildAsync(RepositorySnapshot snapshot, CancellationToken cancellationToken)
    {
        var gitDir = layout.PathOf(snapshot.Repository.Name);
        var listing = Directory.Exists(gitDir) ? await refReader.ListAsync(gitDir, cancellationToken) : [];
        return await BuildAsync(snapshot, listing, await PolicyStampAsync(cancellationToken), cancellationToken);
    }

    /// <summary>The state as it is now, written nowhere (the sweep's re-check).</summary>
    public async Task<RepositoryKeepState> ReadAsync(Repository repository, CancellationToken cancellationToken)
    {
        var stamp = await PolicyStampAsync(cancellationToken);
        var policies = EffectivePolicies.For(repository.Id, await policyLoader.LoadAsync(cancellationToken), options.Value.DefaultOrphanGrace);
        var gitDir = layout.PathOf(repository.Name);
        var listing = Directory.Exists(gitDir) ? await refReader.ListAsync(gitDir, cancellationToken) : [];
        var refs = Directory.Exists(gitDir) ? await refReader.ReadAsync(gitDir, cancellationToken) : [];
        var tips = await graph.ReadRefPointersAsync(repository.Id, gitDir, refs.Where(r => policies.IsProtected(r.Name)), cancellationToken);
        var (indexed, rows) = await ReachabilityRows.LoadAllAsync(db, repository.Id, cancellationToken);
        return await BuildAsync(new RepositorySnapshot(repository, policies, refs, tips, indexed, rows), listing, stamp, cancellationToken);
    }

    /// <summary>Whether <paramref name="state"/> still describes the repository: no ref moved and no policy changed since it was read.</summary>
    public async Task<bool> IsCurrentAsync(RepositoryKeepState state, CancellationToken cancellationToken)
    {
        var gitDir = layout.PathOf(state.Repository.Name);
        var listing = Directory.Exists(gitDir) ? await refReader.ListAsync(gitDir, cancellationToken) : [];
        return listing.SequenceEqual(state.RefsListing) && await PolicyStampAsync(cancellationToken) == state.PolicyStamp;
    }

    private async Task<string> PolicyStampAsync(CancellationToken cancellationToken) =>
        string.Join(';', (await policyLoader.LoadAsync(cancellationToken)).Select(p => $"{p.Id}.{p.Version}"));

    private async Task<RepositoryKeepState> BuildAsync(
        RepositorySnapshot snapshot, IReadOnlyList<(string, string, string)> listing, string stamp, CancellationToken cancellationToken)
    {
        var policies = snapshot.Policies;
        var gitDir = layout.PathOf(snapshot.Repository.Name);
        var protectedTips = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var tip in snapshot.Refs.Where(r => policies.IsProtected(r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            foreach (var pointer in snapshot.TipPointers[tip.Target])
            {
                protectedTips.TryAdd(pointer.Oid, (tip.Name, pointer.Path));
            }
        }
        var occurrences = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var row in snapshot.Indexed)
        {
            (occurrences.TryGetValue(row.Oid, out var list) ? list : occurrences[row.Oid] = []).Add((row.Commit, row.Path));
        }
        var byRef = policies.History.Any(r => r.RefGlob is not null || r.Policy.KeepLastVersions is not null);
        var history = new RefHistory(histories, diffs, unreachable, graph);
        if (byRef)
        {
            await history.ReadAsync(snapshot.Repository.Id, gitDir, snapshot.Refs, snapshot.Indexed, policies, cancellationToken);
        }
        return new RepositoryKeepState
        {
            Repository = snapshot.Repository,
            Policies = policies,
            Refs = snapshot.Refs,
            ProtectedTips = protectedTips,
            Occurrences = occurrences,
            RefsByCommit = byRef ? history.RefsByCommit : null,
            Unreachable = history.Unreachable,
            LastVersions = history.LastVersions,
            Clock = snapshot.Rows,
            RefsListing = listing,
            PolicyStamp = stamp,
        };
    }
}
