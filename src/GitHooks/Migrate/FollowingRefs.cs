using GitHooks.Git;

namespace GitHooks.Migrate;

/// <summary>
/// After a rewrite, git-lfs also moves every other local branch and tag that pointed at a
/// rewritten commit (a merged side branch, a release tag), so no ref keeps the old history alive.
/// A lightweight ref moves to the new commit; an annotated tag is copied onto it.
/// </summary>
public static class FollowingRefs
{
    /// <summary>Moves them; returns (ref, old id, new id) for each one moved.</summary>
    public static async Task<List<(string Ref, string Old, string New)>> UpdateAsync(
        GitRunner git, IReadOnlyCollection<string> rewritten, IReadOnlyDictionary<string, string> commits, CancellationToken cancellationToken)
    {
        var moved = new List<(string, string, string)>();
        var refs = await git.RunCheckedAsync(cancellationToken, "for-each-ref", "--format=%(refname) %(objecttype) %(objectname) %(*objecttype) %(*objectname)", "refs/heads", "refs/tags");
        foreach (var fields in refs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')))
        {
            var (name, type, id, peeledType, peeled) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
            if (rewritten.Contains(name))
            {
                continue;
            }
            string? target = null;
            if (type == "commit" && commits.TryGetValue(id, out var commit))
            {
                target = commit;
            }
            else if (type == "tag" && peeledType == "commit" && commits.TryGetValue(peeled, out var tagged))
            {
                target = await RetagAsync(git, id, peeled, tagged, cancellationToken);
            }
            if (target is not null)
            {
                await git.RunCheckedAsync(cancellationToken, "update-ref", "-m", "migrate", name, target, id);
                moved.Add((name, id, target));
            }
        }
        return moved;
    }

    /// <summary>A copy of the annotated tag naming the new commit (only a tag directly on a commit is copied).</summary>
    private static async Task<string?> RetagAsync(GitRunner git, string tag, string oldCommit, string newCommit, CancellationToken cancellationToken)
    {
        var body = await git.RunCheckedAsync(cancellationToken, "cat-file", "tag", tag);
        if (!body.StartsWith($"object {oldCommit}\n", StringComparison.Ordinal))
        {
            return null; // a tag of a tag: left as it is
        }
        var copy = await git.RunAsync(["hash-object", "-t", "tag", "-w", "--stdin"], $"object {newCommit}\n" + body[$"object {oldCommit}\n".Length..], cancellationToken);
        return copy.Succeeded ? copy.StdOut.Trim() : throw new GitException($"could not copy tag {tag}: {copy.StdErr.Trim()}");
    }
}
