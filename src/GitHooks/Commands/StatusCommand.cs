using GitHooks.Git;
using GitHooks.LocalStorage;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage status</c>: for every LFS-tracked file, whether the work tree has its data or
/// still a pointer (and whether the object is cached), then what is not yet pushed.
/// </summary>
public sealed class StatusCommand(ICommandContext context)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var workTree = session.Repository.WorkTree ?? throw new UserException("'status' needs a work tree.");
        var checkout = new WorkTreeCheckout(session.Git, session.Repository);
        var tracked = await new LfsAttributes(session.Git).FilterTrackedAsync(await checkout.IndexPathsAsync(cancellationToken), cancellationToken);

        await context.Out.WriteLineAsync("Tracked files:");
        foreach (var path in tracked)
        {
            var pointer = await WorkTreeCheckout.ReadPointerAsync(Path.Combine(workTree, path), cancellationToken);
            var state = pointer is null ? "data"
                : session.Repository.Objects.Contains(pointer) ? "pointer (object cached; run 'git storage pull')"
                : "pointer (object not downloaded)";
            await context.Out.WriteLineAsync($"\t{path}: {state}");
        }

        var remote = await session.DefaultRemoteAsync(cancellationToken);
        var head = await session.Git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", "HEAD");
        if (!head.Succeeded)
        {
            return 0;
        }
        var unpushed = await new PointerScanner(session.Git).ScanHistoryAsync(["HEAD"], [$"--remotes={remote}"], cancellationToken).ToListAsync(cancellationToken);
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync($"Objects not yet pushed to {remote}:");
        foreach (var item in unpushed.DistinctBy(u => (u.Path, u.Pointer.Oid)))
        {
            await context.Out.WriteLineAsync($"\t{item.Path} ({item.Pointer.Oid.Value[..12]}, {Progress.TransferProgress.FormatBytes(item.Pointer.Size)})");
        }
        return 0;
    }
}

/// <summary><c>git storage ls-files [ref]</c>: LFS files in a commit; <c>*</c> data present, <c>-</c> pointer only.</summary>
public sealed class LsFilesCommand(ICommandContext context)
{
    public async Task<int> RunAsync(string? reference, bool longOids, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var head = await session.Git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", (reference ?? "HEAD") + "^{commit}");
        if (!head.Succeeded)
        {
            return reference is null ? 0 : throw new UserException($"Not a commit: {reference}");
        }
        await foreach (var item in new PointerScanner(session.Git).ScanTreeAsync(head.StdOut.Trim(), cancellationToken))
        {
            var present = session.Repository.WorkTree is { } root && await IsDataAsync(Path.Combine(root, item.Path), item.Pointer, cancellationToken);
            var oid = longOids ? item.Pointer.Oid.Value : item.Pointer.Oid.Value[..10];
            await context.Out.WriteLineAsync($"{oid} {(present ? '*' : '-')} {item.Path}");
        }
        return 0;
    }

    private static async Task<bool> IsDataAsync(string path, LfsPointer pointer, CancellationToken cancellationToken) =>
        File.Exists(path) && new FileInfo(path).Length == pointer.Size && await WorkTreeCheckout.ReadPointerAsync(path, cancellationToken) is null;
}
