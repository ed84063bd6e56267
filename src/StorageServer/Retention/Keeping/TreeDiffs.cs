using System.Text;
using StorageServer.Git;
using StorageServer.Indexing;

namespace StorageServer.Retention.Keeping;

/// <summary>
/// What changes along each edge of a commit graph: one <c>git diff-tree --stdin -r --root --always -z</c>
/// fed one <c>child parent</c> line per edge (a root commit alone), so merges are diffed against
/// each parent separately. Symlinks and submodules count as "no regular file".
/// </summary>
public sealed class TreeDiffs(GitProcess git)
{
    public async Task<Dictionary<(string Child, string Parent), List<PathChange>>> ReadAsync(
        string gitDir, IReadOnlyList<(string Child, string? Parent)> edges, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<(string, string), List<PathChange>>();
        if (edges.Count == 0)
        {
            return changes;
        }
        using var process = git.Start(gitDir, ["diff-tree", "--stdin", "-r", "--root", "--always", "--no-renames", "--no-abbrev", "-z"], redirectInput: true);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(process));
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var feed = GitPipes.WriteLinesAsync(process, edges.Select(e => e.Parent is null ? e.Child : $"{e.Child} {e.Parent}"), cancellationToken);
        var reader = new GitOutputReader(process.StandardOutput.BaseStream);
        var index = -1;
        List<PathChange>? current = null;
        while (await reader.ReadRecordAsync(0, cancellationToken) is { } record)
        {
            if (record.Length == 0)
            {
                continue;
            }
            if (record[0] != ':')
            {
                var edge = edges[++index];
                if (Encoding.ASCII.GetString(record).Trim() != edge.Child)
                {
                    throw new FormatException($"git diff-tree answered for {Encoding.ASCII.GetString(record)} where {edge.Child} was asked.");
                }
                changes[(edge.Child, edge.Parent ?? string.Empty)] = current = [];
                continue;
            }
            // ":<old mode> <new mode> <old blob> <new blob> <status>", then the path.
            var fields = Encoding.ASCII.GetString(record, 1, record.Length - 1).Split(' ');
            var path = await reader.ReadRecordAsync(0, cancellationToken) ?? throw new FormatException("git diff-tree ended before a path.");
            var (old, @new) = (RegularFile(fields[0], fields[2]), RegularFile(fields[1], fields[3]));
            if (old is not null || @new is not null)
            {
                current!.Add(new PathChange(Encoding.UTF8.GetString(path), old, @new));
            }
        }
        await feed;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || index != edges.Count - 1)
        {
            throw new InvalidOperationException($"git diff-tree failed ({process.ExitCode}, {index + 1} of {edges.Count} edges): {(await errors).Trim()}");
        }
        return changes;
    }

    private static string? RegularFile(string mode, string blob) => mode is "100644" or "100755" ? blob : null;
}
