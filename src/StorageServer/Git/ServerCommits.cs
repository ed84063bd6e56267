using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Data.Entities;
using StorageServer.Indexing;

namespace StorageServer.Git;

/// <summary>One path's change in a server commit: new file content, or <c>null</c> to delete the path.</summary>
public sealed record TreeEdit(string Path, byte[]? NewContent);

public sealed record ServerCommitResult(bool Committed, string? CommitSha, bool Conflict)
{
    public static readonly ServerCommitResult Lost = new(false, null, true);
}

/// <summary>
/// Commits made by the server itself (retention removing expired files, erasure pointing a path
/// at a redacted successor). The tree is built in a throwaway index, never a work tree, and the
/// ref moves only if it still points at <c>expectedTip</c>: a push that lands meanwhile wins and
/// the caller retries from the new tip. The commit is indexed like a pushed one.
/// </summary>
public sealed class ServerCommits(
    GitProcess git, GitRepositoryLayout layout, PointerIndexer indexer, IOptions<GitOptions> options, TimeProvider clock, ILogger<ServerCommits> logger)
{
    public async Task<ServerCommitResult> CommitAsync(
        Repository repository, string branchRef, string expectedTip, IReadOnlyList<TreeEdit> edits, string message, CancellationToken cancellationToken)
    {
        if (!branchRef.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Server commits go on branches only, not '{branchRef}'.", nameof(branchRef));
        }
        var gitDir = layout.PathOf(repository.Name);
        var index = Path.Combine(gitDir, $"storageserver-index-{Guid.NewGuid():N}");
        // update-index insists on a work tree even for --index-info; an empty one is never read.
        var workTree = Directory.CreateTempSubdirectory("storageserver-commit-").FullName;
        try
        {
            var environment = Environment(index, workTree);
            await RunAsync(gitDir, ["read-tree", expectedTip], environment, null, cancellationToken);
            // All edits go to the index in one update-index (mode 0 removes a path), not one process per path.
            var entries = new StringBuilder();
            var noBlob = new string('0', expectedTip.Length);
            foreach (var edit in edits)
            {
                var blob = edit.NewContent is null
                    ? noBlob
                    : (await RunAsync(gitDir, ["hash-object", "-w", "--stdin"], environment, edit.NewContent, cancellationToken)).Trim();
                entries.Append(edit.NewContent is null ? "0" : "100644").Append(' ').Append(blob).Append('\t').Append(edit.Path).Append('\0');
            }
            await RunAsync(gitDir, ["update-index", "-z", "--index-info"], environment, Encoding.UTF8.GetBytes(entries.ToString()), cancellationToken);
            var tree = (await RunAsync(gitDir, ["write-tree"], environment, null, cancellationToken)).Trim();
            var commit = (await RunAsync(gitDir, ["commit-tree", tree, "-p", expectedTip, "-F", "-"], environment, Encoding.UTF8.GetBytes(message), cancellationToken)).Trim();
            using var update = git.Start(gitDir, ["update-ref", "-m", "storageserver: server commit", branchRef, commit, expectedTip], redirectInput: false, environment);
            var error = await update.StandardError.ReadToEndAsync(cancellationToken);
            await update.WaitForExitAsync(cancellationToken);
            if (update.ExitCode != 0)
            {
                logger.LogWarning("Server commit on {Repository} {Ref} lost a race with a push: {Error}", repository.Name, branchRef, error.Trim());
                return ServerCommitResult.Lost;
            }
            logger.LogInformation("Server commit {Commit} on {Repository} {Ref} ({Edits} paths)", commit, repository.Name, branchRef, edits.Count);
            await indexer.IndexAsync(repository, [commit, "^" + expectedTip], [], cancellationToken);
            return new ServerCommitResult(true, commit, false);
        }
        finally
        {
            File.Delete(index);
            File.Delete(index + ".lock");
            Directory.Delete(workTree, recursive: true);
        }
    }

    private Dictionary<string, string> Environment(string index, string workTree)
    {
        var git = options.Value;
        var date = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " +0000";
        return new Dictionary<string, string>
        {
            ["GIT_INDEX_FILE"] = index,
            ["GIT_WORK_TREE"] = workTree,
            ["GIT_AUTHOR_NAME"] = git.ServerCommitterName,
            ["GIT_AUTHOR_EMAIL"] = git.ServerCommitterEmail,
            ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_NAME"] = git.ServerCommitterName,
            ["GIT_COMMITTER_EMAIL"] = git.ServerCommitterEmail,
            ["GIT_COMMITTER_DATE"] = date,
        };
    }

    private async Task<string> RunAsync(string gitDir, string[] arguments, IReadOnlyDictionary<string, string> environment, byte[]? input, CancellationToken cancellationToken)
    {
        using var process = git.Start(gitDir, arguments, redirectInput: input is not null, environment);
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"git {arguments[0]} failed with exit code {process.ExitCode}: {(await error).Trim()}");
    }
}
