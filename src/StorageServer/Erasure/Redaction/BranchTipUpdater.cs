using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Git;
using StorageServer.Protocol.Pointers;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Redaction;

/// <summary>
/// Keeps current data working while every old version is erased: on each branch whose tip holds
/// an object of the request at some path, the server commits (one commit per branch, its message
/// naming only the request id) the redacted successor's pointer there, or the removal of the path
/// when the whole object is erased. History is not rewritten. Idempotent: a tip that no longer
/// holds the objects gets no commit, so a resumed request does not commit twice.
/// </summary>
public sealed class BranchTipUpdater(
    StorageDbContext db, IServiceProvider services, GitTreeReader trees, GitRepositoryLayout layout, AuditLog audit, ILogger<BranchTipUpdater> logger)
{
    private const int MaxCommitAttempts = 5;

    public async Task UpdateTipsAsync(ErasureRequest request, IReadOnlyList<ErasureItem> items, CancellationToken cancellationToken)
    {
        var pending = items.Where(i => !i.TipsUpdated && i.ErasedAt is null).ToDictionary(i => i.Oid, StringComparer.Ordinal);
        if (pending.Count == 0)
        {
            return;
        }
        var replacements = await ReplacementsAsync(pending.Values, cancellationToken);
        var oids = pending.Keys.ToList();
        var locations = new List<(StorageServer.Data.Entities.Repository Repository, string Path)>();
        foreach (var chunk in oids.Chunk(500))
        {
            var rows = await (
                    from p in db.PointerRefs
                    join r in db.Repositories on p.RepositoryId equals r.Id
                    where chunk.Contains(p.Oid)
                    select new { Repository = r, p.Path })
                .AsNoTracking().ToListAsync(cancellationToken);
            locations.AddRange(rows.Select(r => (r.Repository, r.Path)));
        }
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
                    await UpdateBranchAsync(commits, request, repository, gitDir, branch, paths, replacements, cancellationToken);
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
        Dictionary<string, byte[]?> replacements, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tip = await trees.TipAsync(gitDir, branch, cancellationToken);
            if (tip is null)
            {
                return;
            }
            var edits = (await trees.PointersAtAsync(gitDir, tip, paths, cancellationToken))
                .Where(p => replacements.ContainsKey(p.Value))
                .Select(p => new TreeEdit(p.Key, replacements[p.Value]))
                .OrderBy(e => e.Path, StringComparer.Ordinal)
                .ToList();
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

    /// <summary>For each old oid, what replaces it at a tip: its successor's pointer, or null (remove the path).</summary>
    private async Task<Dictionary<string, byte[]?>> ReplacementsAsync(IEnumerable<ErasureItem> items, CancellationToken cancellationToken)
    {
        var list = items.ToList();
        var successors = list.Where(i => i.SuccessorOid is not null).Select(i => i.SuccessorOid!).ToList();
        var sizes = await db.Objects.AsNoTracking().Where(o => successors.Contains(o.Oid)).ToDictionaryAsync(o => o.Oid, o => o.Size, cancellationToken);
        return list.ToDictionary(
            i => i.Oid,
            i => i.SuccessorOid is { } successor ? new LfsPointer(Oid.Parse(successor), sizes[successor]).ToBytes() : null,
            StringComparer.Ordinal);
    }
}
