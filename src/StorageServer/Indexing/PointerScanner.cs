using System.Diagnostics;
using System.Globalization;
using System.Text;
using StorageServer.Dvc;
using StorageServer.Dvc.Indexing;
using StorageServer.Dvc.Tracking;
using StorageServer.Git;
using StorageServer.Protocol.Pointers;

namespace StorageServer.Indexing;

/// <summary>An LFS pointer that <see cref="Commit"/> introduced at <see cref="Path"/>.</summary>
public sealed record PointerEntry(string Commit, string Path, LfsPointer Pointer);

/// <param name="Commits">Every commit the walk visited, in rev-list order.</param>
public sealed record PointerScan(IReadOnlyList<string> Commits, IReadOnlyList<PointerEntry> Pointers)
{
    /// <summary>The DVC outputs of the <c>.dvc</c> files and <c>dvc.lock</c>s the commits introduced.</summary>
    public IReadOnlyList<DvcOutputEntry> DvcOutputs { get; init; } = [];

    /// <summary>Every candidate blob the scan sized (by sha); those under <see cref="LfsPointer.MaxSize"/> were all read.</summary>
    internal IReadOnlyDictionary<string, long> BlobSizes { get; init; } = new Dictionary<string, long>();

    /// <summary>The blobs among those read that are pointers (by sha).</summary>
    internal IReadOnlyDictionary<string, LfsPointer> PointerBlobs { get; init; } = new Dictionary<string, LfsPointer>();
}

/// <summary>
/// Finds the LFS pointers a set of commits introduces, with one git process per step, all
/// streamed: <c>rev-list</c> → <c>diff-tree --stdin -c</c> (blobs each commit adds or changes,
/// relative to its parent, or for a merge to all its parents) → <c>cat-file --batch-check</c>
/// (keeps blobs under 1024 bytes, and DVC metadata files up to <see cref="DvcOptions.MaxMetadataFileSize"/>)
/// → <c>cat-file --batch</c> (reads them; <see cref="LfsPointer.TryParse"/>, <see cref="DvcMetadataParser"/>).
/// A commit "introduces" a pointer at a path when its blob there differs from the one in its
/// parent (every parent, for a merge): a clean merge introduces nothing, a conflict resolution does.
/// A commit that changes a <c>.dvc</c> file or <c>dvc.lock</c> introduces every output it names.
/// </summary>
public sealed class PointerScanner(GitProcess git, ILogger<PointerScanner> logger, DvcScanner? dvc = null)
{
    /// <summary>
    /// Scans the commits <c>git rev-list</c> lists for <paramref name="revisions"/> (written to
    /// its stdin: tips, <c>^excluded</c> commits) plus <paramref name="arguments"/> (on its command
    /// line, after <c>--stdin</c>, e.g. <c>--not --all</c>). <paramref name="environment"/> lets the
    /// pre-receive check see a push's quarantined objects.
    /// </summary>
    public async Task<PointerScan> ScanAsync(
        string gitDir, IReadOnlyList<string> revisions, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var commits = new List<string>();
        var entries = new List<(string Commit, string Path, string Blob)>();
        await WalkAsync(gitDir, revisions, arguments, environment, commits, entries, cancellationToken);
        if (entries.Count == 0)
        {
            return new PointerScan(commits, []);
        }
        IReadOnlyDictionary<string, long> sizes = await BlobSizesAsync(gitDir, entries.Select(e => e.Blob).Distinct(StringComparer.Ordinal).ToList(), environment, cancellationToken);
        var small = sizes.Where(s => s.Value < LfsPointer.MaxSize).Select(s => s.Key).ToList();
        var pointers = small.Count == 0 ? [] : await PointerBlobs.ReadAsync(git, gitDir, small, environment, cancellationToken);
        var result = new List<PointerEntry>();
        foreach (var (commit, path, blob) in entries)
        {
            if (pointers.TryGetValue(blob, out var pointer))
            {
                result.Add(new PointerEntry(commit, path, pointer));
            }
        }
        return new PointerScan(commits, result)
        {
            DvcOutputs = dvc is null ? [] : await dvc.ReadOutputsAsync(gitDir, entries, sizes, environment, cancellationToken),
            BlobSizes = sizes,
            PointerBlobs = pointers,
        };
    }

    /// <summary>
    /// The LFS pointers in the whole trees of <paramref name="tips"/>, not in their history: what a
    /// checkout of each tip needs. A push may point a ref at a commit the repository already holds (a
    /// new branch at an old commit, a force-push back to one), whose objects retention or an erasure
    /// may have removed since; <c>--not --all</c> leaves those commits out of <see cref="ScanAsync"/>.
    /// Blobs <paramref name="alreadyRead"/> (the same push's <see cref="ScanAsync"/>) read are not read
    /// again: a push of new commits brings most of its tips' trees. An entry names its tip only when
    /// there is one tip (rev-list lists each object once, whichever tip's tree holds it).
    /// </summary>
    public async Task<IReadOnlyList<PointerEntry>> ScanTipTreesAsync(
        string gitDir, IReadOnlyList<string> tips, IReadOnlyDictionary<string, string>? environment, PointerScan? alreadyRead,
        CancellationToken cancellationToken)
    {
        // Only blobs under the pointer size limit are listed (blob:limit omits those of at least
        // that size, object:type the trees), so none needs its size checked.
        using var revList = git.Start(gitDir,
            ["rev-list", "--objects", "--no-walk", "--stdin", $"--filter=blob:limit={LfsPointer.MaxSize}", "--filter=object:type=blob"],
            redirectInput: true, environment);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(revList));
        var errors = revList.StandardError.ReadToEndAsync(cancellationToken);
        var feed = GitPipes.WriteLinesAsync(revList, tips, cancellationToken);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await revList.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            // "<oid> <path>" for blobs; the tips themselves have no path.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                paths.TryAdd(line[..space], line[(space + 1)..]);
            }
        }
        await feed;
        await revList.WaitForExitAsync(cancellationToken);
        if (revList.ExitCode != 0)
        {
            throw new InvalidOperationException($"git rev-list --objects failed ({revList.ExitCode}): {(await errors).Trim()}");
        }
        var known = alreadyRead?.BlobSizes ?? new Dictionary<string, long>();
        var unread = paths.Keys.Where(blob => !known.ContainsKey(blob)).ToList();
        var read = unread.Count == 0 ? [] : await PointerBlobs.ReadAsync(git, gitDir, unread, environment, cancellationToken);
        var tip = tips.Count == 1 ? tips[0] : string.Empty;
        var result = new List<PointerEntry>();
        foreach (var (blob, path) in paths)
        {
            if (read.TryGetValue(blob, out var pointer) || alreadyRead?.PointerBlobs.TryGetValue(blob, out pointer) == true)
            {
                result.Add(new PointerEntry(tip, path, pointer));
            }
        }
        return result;
    }

    /// <summary>rev-list piped into diff-tree; collects the candidate (commit, path, blob) entries.</summary>
    private async Task WalkAsync(
        string gitDir, IReadOnlyList<string> revisions, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment,
        List<string> commits, List<(string, string, string)> entries, CancellationToken cancellationToken)
    {
        using var revList = git.Start(gitDir, ["rev-list", "--stdin", .. arguments], redirectInput: true, environment);
        using var diffTree = git.Start(gitDir, ["diff-tree", "--stdin", "-r", "--root", "-c", "--no-abbrev", "--no-renames", "-z"], redirectInput: true, environment);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(revList, diffTree));
        var revListErrors = revList.StandardError.ReadToEndAsync(cancellationToken);
        var diffTreeErrors = diffTree.StandardError.ReadToEndAsync(cancellationToken);

        var feedRevList = GitPipes.WriteLinesAsync(revList, revisions, cancellationToken);
        var feedDiffTree = Task.Run(async () =>
        {
            var input = diffTree.StandardInput;
            try
            {
                while (await revList.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Length > 0)
                    {
                        commits.Add(line);
                        await input.WriteAsync((line + "\n").AsMemory(), cancellationToken);
                    }
                }
                input.Close();
            }
            catch (IOException)
            {
                // diff-tree exited early; its exit code and stderr tell why.
            }
        }, cancellationToken);

        var parse = ParseDiffTreeAsync(diffTree.StandardOutput.BaseStream, entries, cancellationToken);
        try
        {
            await Task.WhenAll(feedRevList, feedDiffTree, parse);
            await Task.WhenAll(revList.WaitForExitAsync(cancellationToken), diffTree.WaitForExitAsync(cancellationToken));
        }
        catch
        {
            GitPipes.Kill(revList, diffTree);
            throw;
        }
        if (revList.ExitCode != 0 || diffTree.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"git rev-list/diff-tree failed ({revList.ExitCode}/{diffTree.ExitCode}): {(await revListErrors).Trim()} {(await diffTreeErrors).Trim()}");
        }
        logger.LogDebug("Walked {Commits} commits, {Entries} candidate blobs", commits.Count, entries.Count);
    }

    /// <summary>
    /// Parses <c>diff-tree --stdin -c -z</c>: for each commit its id, then per changed path a
    /// record <c>:modes… shas… status</c> (one colon per parent) followed by the path.
    /// </summary>
    internal static async Task ParseDiffTreeAsync(Stream output, List<(string Commit, string Path, string Blob)> entries, CancellationToken cancellationToken)
    {
        var reader = new GitOutputReader(output);
        var commit = string.Empty;
        string? pendingBlob = null;
        while (await reader.ReadRecordAsync(0, cancellationToken) is { } record)
        {
            if (pendingBlob is not null)
            {
                entries.Add((commit, Encoding.UTF8.GetString(record), pendingBlob));
                pendingBlob = null;
                continue;
            }
            if (record.Length == 0)
            {
                continue;
            }
            if (record[0] != ':')
            {
                commit = Encoding.ASCII.GetString(record).Trim();
                continue;
            }
            var text = Encoding.ASCII.GetString(record);
            var parents = 0;
            while (parents < text.Length && text[parents] == ':')
            {
                parents++;
            }
            var fields = text[parents..].Split(' ');
            if (fields.Length < (2 * (parents + 1)) + 1)
            {
                throw new FormatException($"Unexpected diff-tree record '{text}'");
            }
            var mode = fields[parents];
            var blob = fields[(2 * (parents + 1)) - 1];
            // The path record follows in every case; remember the blob only for files that exist
            // in the commit as regular files (not deletions, submodules or symlinks).
            pendingBlob = IsRegularFile(mode) && blob.Any(c => c != '0') ? blob : string.Empty;
            if (pendingBlob.Length == 0)
            {
                // Consume (and drop) the path.
                _ = await reader.ReadRecordAsync(0, cancellationToken);
                pendingBlob = null;
            }
        }
    }

    // Not deletions (000000), submodules (160000) or symlinks (120000): git-lfs tracks regular files only.
    private static bool IsRegularFile(string mode) => mode is "100644" or "100755";

    /// <summary>The size of each of <paramref name="blobs"/> that is a blob: <c>cat-file --batch-check</c>.</summary>
    private async Task<Dictionary<string, long>> BlobSizesAsync(string gitDir, List<string> blobs, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        using var process = git.Start(gitDir, ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)", "--buffer"], redirectInput: true, environment);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(process));
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var feed = GitPipes.WriteLinesAsync(process, blobs, cancellationToken);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length == 3 && parts[1] == "blob" && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                sizes[parts[0]] = size;
            }
        }
        await feed;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git cat-file --batch-check failed ({process.ExitCode}): {(await errors).Trim()}");
        }
        return sizes;
    }
}
