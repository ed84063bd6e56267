using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Redaction;
using StorageServer.Git;

namespace StorageServer.Erasure.Preview;

/// <summary>
/// Reads, for the preview, which branch and tag tips hold a version the request would erase, and
/// what happens there: branches get a server commit (redacted successor or removal), tags are not
/// rewritten and keep a version that will answer 410.
/// </summary>
public sealed class TipEffectReader(StorageDbContext db, GitTreeReader trees, GitRepositoryLayout layout, IServiceProvider services)
{
    public async Task<List<TipEffect>> ReadAsync(IReadOnlyDictionary<string, ErasureAction> items, CancellationToken cancellationToken)
    {
        var effects = new List<TipEffect>();
        if (items.Count == 0 || services.GetService<ServerCommits>() is null)
        {
            return effects;
        }
        foreach (var group in (await PointerLocations.FindAsync(db, items.Keys.ToList(), cancellationToken)).GroupBy(l => l.Repository.Id))
        {
            var repository = group.First().Repository.Name;
            var paths = group.Select(l => l.Path).Distinct(StringComparer.Ordinal).ToList();
            var gitDir = layout.PathOf(repository);
            foreach (var (reference, isTag) in (await trees.BranchesAsync(gitDir, cancellationToken)).Select(b => (b, false))
                         .Concat((await trees.TagsAsync(gitDir, cancellationToken)).Select(t => (t, true))))
            {
                if (await trees.TipAsync(gitDir, reference, cancellationToken) is not { } tip)
                {
                    continue;
                }
                foreach (var (path, oid) in (await trees.PointersAtAsync(gitDir, tip, paths, cancellationToken)).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (items.TryGetValue(oid, out var action))
                    {
                        effects.Add(isTag ? TipEffect.Tag(repository, reference, path, oid) : TipEffect.Branch(repository, reference, path, oid, action == ErasureAction.Redact));
                    }
                }
            }
        }
        return effects;
    }
}
