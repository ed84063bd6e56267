using StorageServer.Git;
using StorageServer.Indexing;

namespace StorageServer.Retention.Planning;

/// <summary>Reads commit histories with one streamed <c>git rev-list --topo-order --parents --stdin</c> per call.</summary>
public sealed class CommitHistories(GitProcess git)
{
    /// <summary>Every commit reachable from any of <paramref name="tips"/>: for one tip, exactly <c>git rev-list --topo-order tip</c>.</summary>
    public async Task<CommitHistory> ReadAsync(string gitDir, IReadOnlyCollection<string> tips, CancellationToken cancellationToken)
    {
        if (tips.Count == 0)
        {
            return CommitHistory.Empty;
        }
        using var process = git.Start(gitDir, ["rev-list", "--topo-order", "--parents", "--stdin"], redirectInput: true);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(process));
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var feed = GitPipes.WriteLinesAsync(process, tips.Distinct(StringComparer.Ordinal), cancellationToken);
        var commits = new List<string>();
        var parents = new Dictionary<string, string[]>(StringComparer.Ordinal);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                var ids = line.Split(' ');
                commits.Add(ids[0]);
                parents[ids[0]] = ids[1..];
            }
        }
        await feed;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? new CommitHistory(commits, parents) : throw new InvalidOperationException($"git rev-list failed: {(await errors).Trim()}");
    }
}
