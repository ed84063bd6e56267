using System.Security.Cryptography;
using GitHooks.Git;
using GitHooks.LocalStorage;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage status</c>, shaped like <c>git lfs status</c>: large files to be pushed, staged
/// ("to be committed") and changed but not staged, then files still left as pointers. Only
/// sections with something in them are printed.
/// </summary>
public sealed class StatusCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var workTree = session.Repository.WorkTree ?? throw new UserException("'status' needs a work tree.");
        var branch = await session.Git.RunAsync(cancellationToken, "symbolic-ref", "--short", "-q", "HEAD");
        await context.Out.WriteLineAsync(branch.Succeeded ? $"On branch {branch.StdOut.Trim()}" : "Not on a branch");

        var sections = 0;
        var remote = await session.DefaultRemoteAsync(cancellationToken);
        var head = await session.Git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", "HEAD");
        if (head.Succeeded && session.Config.Get($"remote.{remote}.url") is not null)
        {
            var unpushed = await new PointerScanner(session.Git).ScanHistoryAsync(["HEAD"], [$"--remotes={remote}"], cancellationToken).ToListAsync(cancellationToken);
            sections += await SectionAsync($"Objects to be pushed to {remote}:", unpushed.DistinctBy(u => (u.Path, u.Pointer.Oid))
                .Select(u => $"{u.Path} ({u.Pointer.Oid.Value[..7]}, {Progress.TransferProgress.FormatBytes(u.Pointer.Size)})"));
        }

        var changes = new IndexChanges(session.Git);
        var attributes = new LfsAttributes(session.Git);
        var staged = await TrackedAsync(attributes, await changes.StagedAsync(cancellationToken), cancellationToken);
        var unstaged = await TrackedAsync(attributes, await changes.UnstagedAsync(cancellationToken), cancellationToken);
        var blobs = await BlobPointersAsync(session.Git, staged.Concat(unstaged), cancellationToken);
        sections += await SectionAsync("Objects to be committed:", staged.Select(c => $"{c.Path} ({c.Status switch
        {
            'A' => Describe(c.NewBlob, blobs),
            'D' => Describe(c.OldBlob, blobs) + " -> deleted",
            _ => Describe(c.OldBlob, blobs) + " -> " + Describe(c.NewBlob, blobs),
        }})"));
        var notStaged = new List<string>();
        foreach (var change in unstaged)
        {
            var file = Path.Combine(workTree, change.Path);
            var now = change.Status == 'D' || !File.Exists(file) ? "deleted" : await DescribeFileAsync(file, cancellationToken);
            notStaged.Add($"{change.Path} ({Describe(change.OldBlob, blobs)} -> {now})");
        }
        sections += await SectionAsync("Objects not staged for commit:", notStaged);

        var checkout = new WorkTreeCheckout(session.Git, session.Repository);
        var pointers = await checkout.FindPointersAsync(await checkout.IndexPathsAsync(cancellationToken), cancellationToken);
        sections += await SectionAsync("Files left as pointers (run 'git storage pull'):", pointers.Select(p =>
            $"{p.Path} ({(session.Repository.Objects.Contains(p.Pointer) ? "object cached" : "object not downloaded")})"));
        if (sections == 0)
        {
            await context.Out.WriteLineAsync("Nothing to push or commit; every large file holds its data.");
        }
        return 0;
    }

    private async Task<int> SectionAsync(string header, IEnumerable<string> lines)
    {
        var items = lines.ToList();
        if (items.Count == 0)
        {
            return 0;
        }
        await context.Out.WriteLineAsync(header);
        await context.Out.WriteLineAsync();
        foreach (var item in items)
        {
            await context.Out.WriteLineAsync("\t" + item);
        }
        await context.Out.WriteLineAsync();
        return 1;
    }

    private static async Task<List<IndexChange>> TrackedAsync(LfsAttributes attributes, List<IndexChange> changes, CancellationToken cancellationToken)
    {
        var tracked = (await attributes.FilterTrackedAsync([.. changes.Select(c => c.Path)], cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return [.. changes.Where(c => tracked.Contains(c.Path))];
    }

    /// <summary>The pointer in each blob that is one (by blob id).</summary>
    private static async Task<Dictionary<string, LfsPointer>> BlobPointersAsync(GitRunner git, IEnumerable<IndexChange> changes, CancellationToken cancellationToken)
    {
        var ids = changes.SelectMany(c => new[] { c.OldBlob, c.NewBlob }).Where(b => b != IndexChange.NullSha).Distinct().ToList();
        var pointers = new Dictionary<string, LfsPointer>(StringComparer.Ordinal);
        await foreach (var blob in CatFileBatch.ReadAsync(git, ids.ToAsyncEnumerable(), LfsPointer.MaxSize, cancellationToken))
        {
            if (blob.Content is not null && LfsPointer.TryParse(blob.Content, out var pointer))
            {
                pointers[blob.Name] = pointer;
            }
        }
        return pointers;
    }

    /// <summary>"LFS: abc1234" for a pointer blob, "Git: def5678" for a plain blob (as git-lfs shows them).</summary>
    private static string Describe(string blob, Dictionary<string, LfsPointer> pointers) =>
        blob == IndexChange.NullSha ? string.Empty : pointers.TryGetValue(blob, out var pointer) ? $"LFS: {pointer.Oid.Value[..7]}" : $"Git: {blob[..7]}";

    private static async Task<string> DescribeFileAsync(string path, CancellationToken cancellationToken)
    {
        if (await WorkTreeCheckout.ReadPointerAsync(path, cancellationToken) is { } pointer)
        {
            return $"LFS: {pointer.Oid.Value[..7]}";
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        return $"File: {Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken))[..7]}";
    }
}
