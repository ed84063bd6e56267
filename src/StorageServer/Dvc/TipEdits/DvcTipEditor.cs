using StorageServer.Data.Entities;
using StorageServer.Dvc.Indexing;
using StorageServer.Dvc.Manifests;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Tracking;
using StorageServer.Git;
using StorageServer.Retention.Planning;

namespace StorageServer.Dvc.TipEdits;

/// <summary>
/// What a server commit must change at a branch tip so that DVC-tracked files stop naming some
/// objects, as <see cref="TreeEdit"/>s: a file output is pointed at its replacement (a new
/// <c>md5</c> and <c>size</c> in its <c>.dvc</c> file or <c>dvc.lock</c> entry) or removed; a tracked
/// directory gets a new manifest without the removed files and with the replaced ones (stored
/// and mapped first, so the new <c>.dir</c> is servable) and its entry a new <c>.dir</c> oid,
/// size and file count; a directory left empty, or whose manifest itself goes, is removed.
/// Used by erasure (redaction at tips) and by retention's maximum age.
/// </summary>
public sealed class DvcTipEditor(RepositoryGraph graph, GitProcess git, DvcServerObjects objects, ManifestEntries manifests)
{
    /// <param name="oids">The objects to move away from.</param>
    /// <param name="replacement">Each of those a tip file names: what it becomes, or null to remove the file.</param>
    public async Task<IReadOnlyList<TreeEdit>> EditsAsync(
        Repository repository, string gitDir, string tip, IReadOnlySet<string> oids, Func<string, CancellationToken, Task<DvcReplacement?>> replacement,
        string user, CancellationToken cancellationToken)
    {
        var pointers = (await graph.ReadTipPointersAsync(repository.Id, gitDir, [tip], cancellationToken))[tip]
            .Select(p => p.Dvc).OfType<DvcPointer>().ToList();
        var changes = new List<DvcOutputChange>();
        foreach (var output in pointers.GroupBy(p => p.Output))
        {
            if (output.FirstOrDefault(p => p.Relpath is null) is not { } top)
            {
                continue;
            }
            var change = output.Key.Hash.IsManifest
                ? await DirectoryChangeAsync(repository, top, output.Where(p => p.Relpath is not null).ToList(), oids, replacement, user, cancellationToken)
                : oids.Contains(top.Oid) ? await FileChangeAsync(repository, top, replacement, user, cancellationToken) : null;
            if (change is not null)
            {
                changes.Add(change);
            }
        }
        if (changes.Count == 0)
        {
            return [];
        }
        var edits = new List<TreeEdit>();
        var files = changes.Select(c => c.Output.MetadataPath).Concat(pointers.Select(p => p.Output.MetadataPath).Where(DvcMetadataPaths.IsLock));
        foreach (var path in files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var content = (await git.RunAsync(gitDir, ["cat-file", "blob", $"{tip}:{path}"], cancellationToken)).EnsureSuccess("cat-file").Output;
            var edited = DvcMetadataEditor.Apply(path, content, changes);
            if (edited != content)
            {
                edits.Add(new TreeEdit(path, edited is null ? null : System.Text.Encoding.UTF8.GetBytes(edited)));
            }
        }
        return edits;
    }

    private async Task<DvcOutputChange> FileChangeAsync(
        Repository repository, DvcPointer file, Func<string, CancellationToken, Task<DvcReplacement?>> replacement, string user, CancellationToken cancellationToken)
    {
        if (await replacement(file.Oid, cancellationToken) is not { } successor)
        {
            return new DvcOutputChange(file.Output, null);
        }
        var hash = await objects.MapStoredAsync(repository.Id, successor.Oid, successor.Size, file.Output.Hash.Legacy, user, cancellationToken);
        return new DvcOutputChange(file.Output, hash, successor.Size);
    }

    private async Task<DvcOutputChange?> DirectoryChangeAsync(
        Repository repository, DvcPointer manifest, List<DvcPointer> files, IReadOnlySet<string> oids,
        Func<string, CancellationToken, Task<DvcReplacement?>> replacement, string user, CancellationToken cancellationToken)
    {
        if (oids.Contains(manifest.Oid))
        {
            // The listing itself is to go (it names what the request covers): so does the directory.
            return new DvcOutputChange(manifest.Output, null);
        }
        if (!files.Any(f => oids.Contains(f.Oid)))
        {
            return null;
        }
        var byRelpath = files.ToDictionary(f => f.Relpath!, StringComparer.Ordinal);
        var kept = new List<DirEntry>();
        long size = 0;
        foreach (var entry in await manifests.ListAsync(manifest.Oid, cancellationToken))
        {
            var file = byRelpath.GetValueOrDefault(entry.Relpath);
            if (file is null || !oids.Contains(file.Oid))
            {
                kept.Add(entry);
                size += file?.Size ?? 0;
            }
            else if (await replacement(file.Oid, cancellationToken) is { } successor)
            {
                var hash = await objects.MapStoredAsync(repository.Id, successor.Oid, successor.Size, manifest.Output.Hash.Legacy, user, cancellationToken);
                kept.Add(new DirEntry(entry.Relpath, hash.Md5));
                size += successor.Size;
            }
        }
        if (kept.Count == 0)
        {
            return new DvcOutputChange(manifest.Output, null);
        }
        var rewritten = await objects.StoreManifestAsync(repository.Id, kept, manifest.Output.Hash.Legacy, user, cancellationToken);
        return new DvcOutputChange(manifest.Output, rewritten, size, kept.Count);
    }
}
