using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Dvc.Manifests;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Tracking;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// Turns DVC outputs into the objects they name in one repository, through that repository's
/// own uploads (<c>dvc_objects</c>), whatever state the objects are in (trashed, restricted…):
/// what keeps an object must see every reference, so a trashed object a tip names is revived,
/// never swept. Directories expand through their manifests' recorded entries. Outputs whose data
/// was never uploaded here resolve to nothing (yet).
/// </summary>
public sealed class DvcPointerResolver(StorageDbContext db, ManifestEntries manifests)
{
    private const int HashesPerQuery = 500;

    public async Task<List<DvcPointer>> ResolveAsync(long repositoryId, IReadOnlyCollection<DvcOutput> outputs, CancellationToken cancellationToken)
    {
        var pointers = new List<DvcPointer>();
        if (outputs.Count == 0)
        {
            return pointers;
        }
        foreach (var tree in outputs.GroupBy(o => o.Hash.Legacy))
        {
            var mapped = await MappedAsync(repositoryId, tree.Key, tree.Select(o => o.Hash.Value).ToList(), cancellationToken);
            var entriesByManifest = new Dictionary<string, List<DirEntry>>(StringComparer.Ordinal);
            foreach (var manifest in tree.Where(o => o.Hash.IsManifest && mapped.ContainsKey(o.Hash.Value)).Select(o => mapped[o.Hash.Value].Oid).Distinct(StringComparer.Ordinal))
            {
                entriesByManifest[manifest] = await manifests.ListAsync(manifest, cancellationToken);
            }
            var entryMd5s = entriesByManifest.Values.SelectMany(e => e).Select(e => e.Md5).Distinct(StringComparer.Ordinal).ToList();
            var files = await MappedAsync(repositoryId, tree.Key, entryMd5s, cancellationToken);
            foreach (var output in tree)
            {
                if (!mapped.TryGetValue(output.Hash.Value, out var stored))
                {
                    continue;
                }
                pointers.Add(new DvcPointer(output.Path, stored.Oid, stored.Size, output, null));
                foreach (var entry in output.Hash.IsManifest ? entriesByManifest[stored.Oid] : [])
                {
                    if (files.TryGetValue(entry.Md5, out var file))
                    {
                        pointers.Add(new DvcPointer($"{output.Path}/{entry.Relpath}", file.Oid, file.Size, output, entry.Relpath));
                    }
                }
            }
        }
        return pointers;
    }

    /// <summary>This repository's mappings of <paramref name="hashes"/> in one tree: DVC oid → (SHA-256, size).</summary>
    private async Task<Dictionary<string, (string Oid, long Size)>> MappedAsync(long repositoryId, bool legacy, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        foreach (var chunk in hashes.Distinct(StringComparer.Ordinal).Chunk(HashesPerQuery))
        {
            var rows = await db.Set<DvcObject>().AsNoTracking()
                .Where(o => o.RepositoryId == repositoryId && o.Legacy == legacy && chunk.Contains(o.Hash))
                .Select(o => new { o.Hash, o.Oid, o.Size }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                found[row.Hash] = (row.Oid, row.Size);
            }
        }
        return found;
    }
}
