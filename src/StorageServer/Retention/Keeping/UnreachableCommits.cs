using StorageServer.Git;

namespace StorageServer.Retention.Keeping;

/// <summary>
/// The commits a repository still holds that no ref reaches: what force-pushes and deleted branches
/// left behind, until git prunes them. Every commit of a bare repository here came in through a
/// push (or a server commit), so these are pushed history that only "no ref" covers.
/// </summary>
public sealed class UnreachableCommits(GitProcess git)
{
    /// <param name="reachable">Every commit some ref reaches.</param>
    public async Task<List<string>> FindAsync(string gitDir, IReadOnlyDictionary<string, string[]> reachable, CancellationToken cancellationToken)
    {
        using var process = git.Start(gitDir, ["cat-file", "--batch-all-objects", "--unordered", "--batch-check=%(objecttype) %(objectname)"], redirectInput: false);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var unreachable = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("commit ", StringComparison.Ordinal) && !reachable.ContainsKey(line[7..]))
            {
                unreachable.Add(line[7..]);
            }
        }
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? unreachable : throw new InvalidOperationException($"git cat-file --batch-all-objects failed: {(await errors).Trim()}");
    }
}
