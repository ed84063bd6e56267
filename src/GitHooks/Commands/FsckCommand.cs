using System.Security.Cryptography;
using GitHooks.Filtering;
using GitHooks.Git;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage fsck [revision] [--objects] [--pointers]</c>, with <c>git lfs fsck</c>'s checks
/// and words: every object HEAD and the index (or the revision, or each commit of a range A..B)
/// name is in the local cache with its SHA-256 (a corrupt one moves to <c>.git/lfs/bad</c>); every
/// pointer is canonical; every file the attributes track is stored as a pointer. Paths in
/// <c>lfs.fetchexclude</c> are skipped. Exit 1 when something is wrong.
/// </summary>
public sealed class FsckCommand(ICommandContext context)
{
    public async Task<int> RunAsync(string? revision, bool objectsOnly, bool pointersOnly, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var checkObjects = objectsOnly || !pointersOnly;
        var checkPointers = pointersOnly || !objectsOnly;
        var entries = await EntriesAsync(session, revision, cancellationToken);
        var exclude = PathFilter.ExcludesFromConfig(session.Config);
        entries = [.. entries.Where(e => exclude.Allows(e.Path))];
        var blobs = await new BlobClassifier(session.Git).ClassifyAsync(entries.Select(e => e.Blob), cancellationToken);

        var problems = 0;
        var objectProblems = 0;
        var corrupt = new List<StorageServer.Protocol.Oid>();
        if (checkObjects)
        {
            var all = blobs.Pointers.Concat(blobs.NonCanonical).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            foreach (var (entry, pointer) in entries.Where(e => all.ContainsKey(e.Blob)).Select(e => (e, all[e.Blob])).DistinctBy(x => (x.e.Path, x.Item2.Oid)))
            {
                if (pointer.Size == 0)
                {
                    continue;
                }
                var path = session.Repository.Objects.ObjectPath(pointer.Oid);
                if (!File.Exists(path))
                {
                    objectProblems++;
                    await context.Out.WriteLineAsync($"objects: openError: {entry.Path} ({pointer.Oid.Value}) could not be checked: no such file or directory");
                }
                else if (!await HashesToAsync(path, pointer, cancellationToken))
                {
                    objectProblems++;
                    corrupt.Add(pointer.Oid);
                    await context.Out.WriteLineAsync($"objects: corruptObject: {entry.Path} ({pointer.Oid.Value}) is corrupt");
                }
            }
        }
        if (checkPointers)
        {
            foreach (var blob in entries.Select(e => e.Blob).Distinct().Where(blobs.NonCanonical.ContainsKey))
            {
                problems++;
                await context.Out.WriteLineAsync($"pointer: nonCanonicalPointer: Pointer for {blobs.NonCanonical[blob].Oid.Value} (blob {blob}) was not canonical");
            }
            var tracked = (await new LfsAttributes(session.Git).FilterTrackedAsync([.. entries.Select(e => e.Path).Distinct()], cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in entries.Where(e => tracked.Contains(e.Path) && !blobs.Pointers.ContainsKey(e.Blob) && !blobs.NonCanonical.ContainsKey(e.Blob) && !blobs.Empty.Contains(e.Blob)).DistinctBy(e => e.Path))
            {
                problems++;
                await context.Out.WriteLineAsync($"pointer: unexpectedGitObject: \"{entry.Path}\" (treeish {entry.Source}) should have been a pointer but was not");
            }
        }
        problems += objectProblems;
        if (objectProblems > 0)
        {
            // git-lfs says this whenever an object check failed, even when only missing ones were found.
            var bad = Path.Combine(session.Repository.Objects.Root, "bad");
            await context.Out.WriteLineAsync($"objects: repair: moving corrupt objects to {bad}");
            Directory.CreateDirectory(bad);
            foreach (var oid in corrupt.Distinct())
            {
                File.Move(session.Repository.Objects.ObjectPath(oid), Path.Combine(bad, oid.Value), overwrite: true);
            }
        }
        if (problems == 0)
        {
            await context.Out.WriteLineAsync("Git LFS fsck OK");
        }
        return problems == 0 ? 0 : 1;
    }

    private static async Task<List<BlobEntry>> EntriesAsync(LfsSession session, string? revision, CancellationToken cancellationToken)
    {
        var entries = new BlobEntries(session.Git);
        if (revision is not null && revision.Split("..") is [var from, var to] && from.Length > 0 && to.Length > 0)
        {
            return await entries.RangeAsync(from, to, cancellationToken).ToListAsync(cancellationToken);
        }
        var commit = await session.Git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", (revision ?? "HEAD") + "^{commit}");
        if (!commit.Succeeded && revision is not null)
        {
            throw new LocalStorage.UserException($"'{revision}' is not a commit or a range A..B.");
        }
        var found = commit.Succeeded ? await entries.TreeAsync(commit.StdOut.Trim(), cancellationToken).ToListAsync(cancellationToken) : [];
        if (revision is null && session.Repository.WorkTree is not null)
        {
            found.AddRange(await entries.IndexAsync(cancellationToken).ToListAsync(cancellationToken));
        }
        return found;
    }

    private static async Task<bool> HashesToAsync(string path, LfsPointer pointer, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return file.Length == pointer.Size && StorageServer.Protocol.Oid.FromHash(await SHA256.HashDataAsync(file, cancellationToken)) == pointer.Oid;
    }
}
