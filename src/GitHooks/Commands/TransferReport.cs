using GitHooks.Transfer;
using StorageServer.Protocol;

namespace GitHooks.Commands;

/// <summary>
/// Prints what went wrong per object, in words that say what to do. A removed object (410) is a
/// warning, not an error: the pointer stays and the checkout succeeds, because the server removed
/// it on purpose and no retry will bring it back. Why it did (a retention policy, a data-protection
/// request…) is the server's to say: its message is shown as it came.
/// </summary>
public static class TransferReport
{
    /// <summary>Returns the number of real errors (410s excluded).</summary>
    public static async Task<int> PrintAsync(ICommandContext context, TransferResult result, IReadOnlyDictionary<Oid, string> paths, bool upload)
    {
        var errors = 0;
        foreach (var failure in result.Failed.OrderBy(f => Name(f, paths), StringComparer.Ordinal))
        {
            var name = Name(failure, paths);
            switch (failure.Code)
            {
                case 410:
                    await context.Error.WriteLineAsync($"warning: {name} is gone from the server (410: {failure.Message.Trim().TrimEnd('.')}); the pointer file is kept.");
                    break;
                case 404 when !upload:
                    errors++;
                    await context.Error.WriteLineAsync($"error: {name} is missing on the server (404). Whoever committed it may not have pushed its data; ask them to run 'git storage push --all'.");
                    break;
                case 403:
                    errors++;
                    await context.Error.WriteLineAsync($"error: {name}: access denied (403). {(upload ? "You need write access to push LFS objects." : "You need read access to this repository.")}");
                    break;
                default:
                    errors++;
                    await context.Error.WriteLineAsync($"error: {name}: {failure.Message}");
                    break;
            }
        }
        return errors;
    }

    private static string Name(TransferFailure failure, IReadOnlyDictionary<Oid, string> paths) =>
        paths.TryGetValue(failure.Pointer.Oid, out var path) ? $"{path} ({failure.Pointer.Oid.Value[..12]})" : failure.Pointer.Oid.Value;
}
