using LibGit2Sharp;
using StorageServer.Protocol.Pointers;

namespace PointerIndexBench;

/// <summary>
/// The pointer index in process with LibGit2Sharp, by the rules of the server's PointerScanner:
/// every commit reachable from a ref, each path whose blob differs from every parent's (a root
/// commit's every path), regular files only, blobs under 1024 bytes that parse as LFS pointers.
/// </summary>
internal static class LibGit2PointerScan
{
    public static List<(string Commit, string Path, string Oid)> Run(string gitDir)
    {
        using var repository = new Repository(gitDir);
        var result = new List<(string, string, string)>();
        var pointerOfBlob = new Dictionary<ObjectId, string?>();
        var filter = new CommitFilter { IncludeReachableFrom = repository.Refs, SortBy = CommitSortStrategies.Topological };
        foreach (var commit in repository.Commits.QueryBy(filter))
        {
            var parents = commit.Parents.ToList();
            var changed = parents.Count == 0
                ? Flatten(commit.Tree, string.Empty).ToList()
                : ChangedAgainstEveryParent(repository, commit, parents);
            foreach (var (path, blobId, mode) in changed)
            {
                if (mode != Mode.NonExecutableFile && mode != Mode.ExecutableFile)
                {
                    continue;
                }
                if (!pointerOfBlob.TryGetValue(blobId, out var oid))
                {
                    oid = PointerOid(repository.Lookup<Blob>(blobId));
                    pointerOfBlob[blobId] = oid;
                }
                if (oid is not null)
                {
                    result.Add((commit.Sha, path, oid));
                }
            }
        }
        return result;
    }

    private static List<(string Path, ObjectId Blob, Mode Mode)> ChangedAgainstEveryParent(Repository repository, Commit commit, List<Commit> parents)
    {
        List<(string, ObjectId, Mode)>? changed = null;
        foreach (var parent in parents)
        {
            var changes = repository.Diff.Compare<TreeChanges>(parent.Tree, commit.Tree);
            var here = changes.Where(c => c.Status is ChangeKind.Added or ChangeKind.Modified or ChangeKind.TypeChanged)
                .Select(c => (c.Path, c.Oid, c.Mode)).ToList();
            changed = changed is null ? here : changed.Intersect(here).ToList();
        }
        return changed ?? [];
    }

    private static IEnumerable<(string Path, ObjectId Blob, Mode Mode)> Flatten(Tree tree, string prefix)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            if (entry.TargetType == TreeEntryTargetType.Tree)
            {
                foreach (var nested in Flatten((Tree)entry.Target, path + "/"))
                {
                    yield return nested;
                }
            }
            else if (entry.TargetType == TreeEntryTargetType.Blob)
            {
                yield return (path, entry.Target.Id, entry.Mode);
            }
        }
    }

    private static string? PointerOid(Blob blob)
    {
        if (blob.Size >= 1024)
        {
            return null;
        }
        using var stream = blob.GetContentStream();
        var bytes = new byte[blob.Size];
        stream.ReadExactly(bytes);
        return LfsPointer.TryParse(bytes, out var pointer) ? pointer.Oid.Value : null;
    }
}
