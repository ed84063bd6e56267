using Microsoft.Extensions.Options;
using StorageServer.Dvc.Tracking;
using StorageServer.Git;
using StorageServer.Indexing;
using StorageServer.Retention.Planning;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// The DVC side of reading a tree's pointers (<see cref="RepositoryGraph"/>): which files are DVC
/// metadata, their outputs (immutable per commit, so cached with the tree's LFS pointers as
/// unresolved entries), and their resolution against one repository's DVC uploads, done on every
/// read because data may be uploaded after the commit was pushed.
/// </summary>
public sealed class DvcTipPointers(GitProcess git, DvcPointerResolver resolver, IOptions<DvcOptions> options)
{
    /// <summary>Whether a tree's file must be read for DVC: a <c>.dvc</c> file, <c>dvc.lock</c> or <c>dvc.yaml</c> within the size limit.</summary>
    public bool IsMetadata(string path, long size) =>
        size <= options.Value.MaxMetadataFileSize && (DvcMetadataPaths.IsMetadata(path) || DvcMetadataPaths.IsPipeline(path));

    /// <summary>
    /// Each commit's DVC outputs, as unresolved entries (empty oid) to cache with its tree;
    /// <paramref name="environment"/> lets the push check read a push's quarantined objects.
    /// </summary>
    public async Task<Dictionary<string, List<TipPointer>>> ReadOutputsAsync(
        string gitDir, IReadOnlyDictionary<string, List<(string Path, string Blob)>> files, IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
        var blobs = files.Values.SelectMany(f => f).Where(e => DvcMetadataPaths.IsMetadata(e.Path) || DvcMetadataPaths.IsPipeline(e.Path))
            .Select(e => e.Blob).Distinct(StringComparer.Ordinal).ToList();
        var roots = await PointerBlobs.ReadAsync(git, gitDir, blobs, environment, content => DvcMetadataParser.TryLoad(content), cancellationToken);
        var outputs = new Dictionary<string, List<TipPointer>>(StringComparer.Ordinal);
        foreach (var (commit, entries) in files)
        {
            var byPath = entries.Where(e => roots.ContainsKey(e.Blob)).ToDictionary(e => e.Path, e => roots[e.Blob], StringComparer.Ordinal);
            outputs[commit] = byPath.Where(f => DvcMetadataPaths.IsMetadata(f.Key))
                .SelectMany(f => DvcMetadataParser.Outputs(f.Key, f.Value,
                    DvcMetadataPaths.IsLock(f.Key) ? DvcPipeline.From(byPath.GetValueOrDefault(DvcMetadataPaths.PipelineOf(f.Key))) : null))
                .Select(o => new TipPointer(o.Path, string.Empty, 0) { Dvc = new DvcPointer(o.Path, string.Empty, 0, o, null) })
                .ToList();
        }
        return outputs;
    }

    /// <summary>Replaces each unresolved DVC entry by the objects it names in <paramref name="repositoryId"/> (none when not uploaded there).</summary>
    public async Task<Dictionary<string, IReadOnlyList<TipPointer>>> ResolveAsync(
        long repositoryId, Dictionary<string, IReadOnlyList<TipPointer>> trees, CancellationToken cancellationToken)
    {
        var outputs = trees.Values.SelectMany(t => t).Where(IsUnresolved).Select(p => p.Dvc!.Output).Distinct().ToList();
        if (outputs.Count == 0)
        {
            return trees;
        }
        var resolved = (await resolver.ResolveAsync(repositoryId, outputs, cancellationToken)).ToLookup(p => p.Output);
        return trees.ToDictionary(
            t => t.Key,
            t => (IReadOnlyList<TipPointer>)t.Value
                .SelectMany(p => IsUnresolved(p) ? resolved[p.Dvc!.Output].Select(d => new TipPointer(d.Path, d.Oid, d.Size) { Dvc = d }) : [p])
                .ToList(),
            StringComparer.Ordinal);
    }

    private static bool IsUnresolved(TipPointer pointer) => pointer.Dvc is { Oid.Length: 0 };
}
