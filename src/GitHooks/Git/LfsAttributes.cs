namespace GitHooks.Git;

/// <summary>Which paths have <c>filter=lfs</c>, asked of git itself (it knows every attributes file).</summary>
public sealed class LfsAttributes(GitRunner git)
{
    public async Task<List<string>> FilterTrackedAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            return [];
        }
        var input = string.Join('\0', paths) + "\0";
        var result = await git.RunAsync(["check-attr", "-z", "--stdin", "filter"], input, cancellationToken);
        if (!result.Succeeded)
        {
            throw new GitException($"git check-attr failed: {result.StdErr.Trim()}");
        }
        // Output: <path> NUL <attribute> NUL <value> NUL, repeated.
        var fields = result.StdOut.Split('\0');
        var tracked = new List<string>();
        for (var i = 0; i + 2 < fields.Length; i += 3)
        {
            if (fields[i + 2] == "lfs")
            {
                tracked.Add(fields[i]);
            }
        }
        return tracked;
    }
}
