using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Dvc.TipEdits;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Git;

namespace StorageServer.Erasure.Redaction;

/// <summary>
/// Keeps branch tips cloneable in every state of a request: before any version is restricted (and
/// again at every run, a deferred one included), on each branch whose tip holds an object of the
/// request, the server commits (one commit per branch, its message naming only the request id) the
/// redacted successor's pointer there, or the removal of the path when the whole object is erased;
/// for a DVC-tracked file, the edit of its <c>.dvc</c> file or <c>dvc.lock</c> entry (<see cref="DvcTipEditor"/>).
/// A tip holding another request's successor of one of these objects gets the same treatment
/// (<see cref="InheritedSuccessors"/>). History is not rewritten; tags are not moved. Idempotent: a
/// tip that no longer holds the objects gets no commit, so a resumed request does not commit twice.
/// </summary>
public sealed class BranchTipUpdater(
    StorageDbContext db, IServiceProvider services, Redactor redactor, InheritedSuccessors inherited, GitTreeReader trees, DvcTipEditor dvc,
    GitRepositoryLayout layout, AuditLog audit, ILogger<BranchTipUpdater> logger)
{
    private const int MaxCommitAttempts = 5;

    /// <param name="items">Every item of the request; the erased ones are skipped. Items adopted on the way are added to it.</param>
    public async Task UpdateTipsAsync(ErasureRequest request, List<ErasureItem> items, ScanSecrets? secrets, CancellationToken cancellationToken)
    {
        var pending = items.Where(i => i.ErasedAt is null).ToDictionary(i => i.Oid, StringComparer.Ordinal);
        if (pending.Count == 0)
        {
            return;
        }
        var locations = await PointerLocations.FindAsync(db, pending.Keys, cancellationToken);
        if (locations.Count > 0)
        {
            var commits = services.GetService<ServerCommits>() ?? throw new InvalidOperationException("Git hosting is disabled: cannot update branch tips.");
            foreach (var group in locations.GroupBy(l => l.Repository.Id))
            {
                var repository = group.First().Repository;
                var paths = group.Select(l => l.Path).Distinct(StringComparer.Ordinal).ToList();
                var gitDir = layout.PathOf(repository.Name);
                foreach (var branch in await trees.BranchesAsync(gitDir, cancellationToken))
                {
                    await UpdateBranchAsync(commits, request, repository, gitDir, branch, paths, pending, items, secrets, cancellationToken);
                }
            }
        }
        foreach (var item in pending.Values)
        {
            item.TipsUpdated = true;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task UpdateBranchAsync(
        ServerCommits commits, ErasureRequest request, StorageServer.Data.Entities.Repository repository, string gitDir, string branch, List<string> paths,
        Dictionary<string, ErasureItem> pending, List<ErasureItem> items, ScanSecrets? secrets, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tip = await trees.TipAsync(gitDir, branch, cancellationToken);
            if (tip is null)
            {
                return;
            }
            var edits = new List<TreeEdit>();
            foreach (var (path, oid) in (await trees.PointersAtAsync(gitDir, tip, paths, cancellationToken)).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (!pending.TryGetValue(oid, out var item) && await inherited.AdoptAsync(request, oid, path, pending, secrets, cancellationToken) is { } adopted)
                {
                    pending[oid] = item = adopted;
                    items.Add(adopted);
                }
                if (item is not null)
                {
                    edits.Add(new TreeEdit(path, item.Action == ErasureAction.Redact ? (await redactor.EnsureSuccessorAsync(item, cancellationToken)).ToBytes() : null));
                }
            }
            // DVC-tracked files: their .dvc file or dvc.lock entry (and a directory's manifest) is rewritten.
            edits.AddRange(await dvc.EditsAsync(repository, gitDir, tip, pending.Keys.ToHashSet(StringComparer.Ordinal), async (oid, ct) =>
                pending[oid].Action == ErasureAction.Redact && await redactor.EnsureSuccessorAsync(pending[oid], ct) is { } successor
                    ? new DvcReplacement(successor.Oid.Value, successor.Size)
                    : null, ErasureActors.System, cancellationToken));
            if (edits.Count == 0)
            {
                return;
            }
            var redacted = edits.Count(e => e.NewContent is not null);
            var removed = edits.Count - redacted;
            var message = $"Erasure request {request.Id}: {redacted} file(s) redacted, {removed} removed under a data-protection request\n";
            var result = await commits.CommitAsync(repository, branch, tip, edits, message, cancellationToken);
            if (result.Committed)
            {
                await audit.AppendAsync(ErasureActors.System, "erasure.commit", request.Id,
                    new { repository = repository.Name, branch, commit = result.CommitSha, redacted, removed }, cancellationToken);
                logger.LogInformation("Erasure request {ErasureRequest}: commit {Commit} on {Repository} {Branch}", request.Id, result.CommitSha, repository.Name, branch);
                return;
            }
            if (attempt >= MaxCommitAttempts)
            {
                throw new InvalidOperationException($"Could not update {repository.Name} {branch}: lost {MaxCommitAttempts} races with pushes; the request resumes at its next run.");
            }
        }
    }
}
