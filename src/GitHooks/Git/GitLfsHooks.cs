namespace GitHooks.Git;

/// <summary>
/// Recognises the hooks <c>git lfs install</c> writes (lfs/hook.go): a shebang, an optional
/// "git-lfs not found" guard and <c>git lfs &lt;hook&gt; "$@"</c>, nothing else. Such a hook is
/// git-lfs's own, not a user's script, so git storage may replace it: chained, it would fail every
/// push on a machine without git-lfs and tell the user to delete the hook that is now ours.
/// </summary>
public static class GitLfsHooks
{
    /// <summary>Every hook git-lfs 3.x installs (post-commit only maintains lockable files' modes).</summary>
    public static IReadOnlyList<string> Names { get; } = ["pre-push", "post-checkout", "post-commit", "post-merge"];

    public static bool IsGitLfsHook(string path, string hook)
    {
        if (!File.Exists(path) || new FileInfo(path).Length > 4096)
        {
            return false;
        }
        var calls = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith("command -v git-lfs ", StringComparison.Ordinal))
            {
                continue;
            }
            if (line is var call && (call == $"git lfs {hook} \"$@\"" || call == $"exec git lfs {hook} \"$@\""))
            {
                calls++;
                continue;
            }
            return false;
        }
        return calls == 1;
    }

    /// <summary>Whether a <c>git-lfs</c> executable is on PATH (its hooks still work then).</summary>
    public static bool IsInstalled(string? pathVariable) =>
        (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "git-lfs")));
}
