namespace GitHooks.Git;

/// <summary>One changed path from <c>git diff-index --cached --raw</c> or <c>git diff-files --raw</c>.</summary>
public sealed record IndexChange(string Path, char Status, string OldBlob, string NewBlob)
{
    public const string NullSha = "0000000000000000000000000000000000000000";
}

/// <summary>What is staged (index vs HEAD) and what is not (work tree vs index), path by path.</summary>
public sealed class IndexChanges(GitRunner git)
{
    /// <summary>The empty tree: what a repository without commits is compared against.</summary>
    private const string EmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    public async Task<List<IndexChange>> StagedAsync(CancellationToken cancellationToken)
    {
        var head = await git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", "HEAD^{tree}");
        var output = await git.RunCheckedAsync(cancellationToken, "diff-index", "--cached", "--raw", "-z", "--no-renames", head.Succeeded ? "HEAD" : EmptyTree);
        return Parse(output);
    }

    /// <summary>Refreshes the index's stat data first (as <c>git status</c> does), so a file that was only touched is not listed.</summary>
    public async Task<List<IndexChange>> UnstagedAsync(CancellationToken cancellationToken)
    {
        await git.RunAsync(cancellationToken, "update-index", "-q", "--refresh");
        return Parse(await git.RunCheckedAsync(cancellationToken, "diff-files", "--raw", "-z", "--no-renames"));
    }

    /// <summary>Parses <c>:oldmode newmode oldsha newsha status NUL path NUL</c> records.</summary>
    public static List<IndexChange> Parse(string output)
    {
        var fields = output.Split('\0');
        var changes = new List<IndexChange>();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var meta = fields[i].TrimStart(':').Split(' ');
            if (meta.Length < 5)
            {
                break;
            }
            changes.Add(new IndexChange(fields[i + 1], meta[4][0], meta[2], meta[3]));
        }
        return changes;
    }

}
