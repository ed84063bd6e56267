using GitHooks.Filtering;
using GitHooks.Git;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Commands;

/// <summary>What <c>git storage ls-files</c> was asked; include/exclude are null when not given.</summary>
public sealed record LsFilesRequest(string? Reference, bool Long, bool Size, bool All, bool NameOnly, IReadOnlyList<string>? Include, IReadOnlyList<string>? Exclude);

/// <summary>
/// <c>git storage ls-files [ref] [--long] [--size] [--all] [--name-only] [-I …] [-X …]</c>, as
/// <c>git lfs ls-files</c>: <c>&lt;oid&gt; &lt;*|-&gt; &lt;path&gt;</c>, <c>*</c> when the work tree
/// holds the data, <c>-</c> when it holds the pointer (or something else). Without a ref: the
/// index (what HEAD holds plus what is staged); with --all: every version in every ref's history.
/// </summary>
public sealed class LsFilesCommand(ICommandContext context)
{
    public async Task<int> RunAsync(LsFilesRequest request, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        var scanner = new PointerScanner(session.Git);
        IAsyncEnumerable<ScannedPointer> found;
        if (request.All)
        {
            found = scanner.ScanHistoryAsync(["--all"], [], cancellationToken);
        }
        else if (request.Reference is { } reference)
        {
            var commit = await session.Git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", reference + "^{commit}");
            found = commit.Succeeded ? scanner.ScanTreeAsync(commit.StdOut.Trim(), cancellationToken)
                : throw new LocalStorage.UserException($"'{reference}' is not a commit; give a branch, tag or commit id.");
        }
        else if (session.Repository.WorkTree is not null)
        {
            found = scanner.ScanIndexAsync(cancellationToken);
        }
        else
        {
            found = (await session.Git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", "HEAD")).Succeeded
                ? scanner.ScanTreeAsync("HEAD", cancellationToken)
                : AsyncEnumerable.Empty<ScannedPointer>();
        }
        var filter = PathFilter.FromArguments(request.Include, request.Exclude);
        var seen = new HashSet<(string, string)>();
        await foreach (var item in found.WithCancellation(cancellationToken))
        {
            if (!filter.Allows(item.Path) || !seen.Add((item.Path, item.Pointer.Oid.Value)))
            {
                continue;
            }
            if (request.NameOnly)
            {
                await context.Out.WriteLineAsync(item.Path);
                continue;
            }
            var present = session.Repository.WorkTree is { } root && await IsDataAsync(Path.Combine(root, item.Path), item.Pointer, cancellationToken);
            var oid = request.Long ? item.Pointer.Oid.Value : item.Pointer.Oid.Value[..10];
            var size = request.Size ? $" ({Progress.TransferProgress.FormatBytes(item.Pointer.Size)})" : string.Empty;
            await context.Out.WriteLineAsync($"{oid} {(present ? '*' : '-')} {item.Path}{size}");
        }
        return 0;
    }

    private static async Task<bool> IsDataAsync(string path, LfsPointer pointer, CancellationToken cancellationToken) =>
        File.Exists(path) && new FileInfo(path).Length == pointer.Size && await LocalStorage.WorkTreeCheckout.ReadPointerAsync(path, cancellationToken) is null;
}
