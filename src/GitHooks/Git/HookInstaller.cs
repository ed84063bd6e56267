namespace GitHooks.Git;

/// <summary>
/// Installs the small <c>sh</c> hooks that call <c>git-storage &lt;hook&gt;</c>. A user's own hook
/// is never overwritten: it is renamed to <c>&lt;hook&gt;.local</c> and our hook runs it first, so
/// both keep working. git-lfs's hooks (<see cref="GitLfsHooks"/>) are taken over instead: git
/// storage does their work, and chained they would call a git-lfs that may not be installed.
/// </summary>
public sealed class HookInstaller(string hooksDirectory)
{
    public const string Marker = "# git-storage hook";

    /// <summary>Hooks whose standard input carries data (ref lines, rewritten commits).</summary>
    private static readonly string[] StdinHooks = ["pre-push", "post-rewrite"];

    public static IReadOnlyList<string> Hooks { get; } = ["pre-push", "post-checkout", "post-merge", "post-rewrite"];

    public string HookPath(string hook) => Path.Combine(hooksDirectory, hook);

    /// <summary>
    /// Installs every hook. With <paramref name="onlyIfAbsent"/> a user's hook is left alone; with
    /// <paramref name="takeOverGitLfs"/> git-lfs's hooks (also ones an earlier install chained as
    /// <c>.local</c>, and its post-commit) are replaced or removed. Returns one line per thing done.
    /// </summary>
    public List<string> InstallAll(bool onlyIfAbsent, bool takeOverGitLfs = true)
    {
        var messages = new List<string>();
        var takenOver = takeOverGitLfs ? RemoveGitLfsHooks() : [];
        foreach (var hook in Hooks)
        {
            if (Install(hook, onlyIfAbsent) is { } message)
            {
                messages.Add(message);
            }
        }
        if (takenOver.Count > 0)
        {
            messages.Insert(0, $"Replaced git-lfs's hooks ({string.Join(", ", takenOver)}): git storage does their work now.");
        }
        return messages;
    }

    /// <summary>Deletes git-lfs's hooks, plain or chained as <c>.local</c>; returns the hook names.</summary>
    private List<string> RemoveGitLfsHooks()
    {
        var removed = new List<string>();
        foreach (var hook in GitLfsHooks.Names)
        {
            foreach (var path in new[] { HookPath(hook), HookPath(hook) + ".local" })
            {
                if (GitLfsHooks.IsGitLfsHook(path, hook))
                {
                    File.Delete(path);
                    if (!removed.Contains(hook))
                    {
                        removed.Add(hook);
                    }
                }
            }
        }
        return removed;
    }

    /// <summary>Returns a message when an existing hook was chained.</summary>
    public string? Install(string hook, bool onlyIfAbsent)
    {
        Directory.CreateDirectory(hooksDirectory);
        var path = HookPath(hook);
        string? message = null;
        if (File.Exists(path))
        {
            if (IsOurs(path))
            {
                WriteScript(path, hook); // upgrade in place
                return null;
            }
            if (onlyIfAbsent)
            {
                return null;
            }
            var local = path + ".local";
            if (File.Exists(local))
            {
                throw new LocalStorage.UserException($"Cannot install the {hook} hook: both {path} and {local} exist. Merge them by hand, then run 'git storage install' again.");
            }
            File.Move(path, local);
            message = $"Existing {hook} hook kept as {hook}.local; it runs before git storage's.";
        }
        WriteScript(path, hook);
        return message;
    }

    /// <summary>Removes our hooks and puts chained ones back.</summary>
    public void UninstallAll()
    {
        foreach (var hook in Hooks)
        {
            var path = HookPath(hook);
            if (File.Exists(path) && IsOurs(path))
            {
                File.Delete(path);
                if (File.Exists(path + ".local"))
                {
                    File.Move(path + ".local", path);
                }
            }
        }
    }

    public static bool IsOurs(string path) => File.ReadAllText(path).Contains(Marker, StringComparison.Ordinal);

    public static string Script(string hook)
    {
        var missing = "command -v git-storage >/dev/null 2>&1 || { printf >&2 \"\\n%s\\n\\n\" \"This repository is configured for git storage but 'git-storage' was not found on your path. Install it (see 'dotnet tool install'), or delete this hook ($0) to stop using it.\"; exit 2; }\n";
        var header = $"#!/bin/sh\n{Marker}: runs 'git storage {hook}'. A hook that was here before was renamed to {hook}.local and runs first.\n" + missing;
        if (StdinHooks.Contains(hook))
        {
            // Both the chained hook and ours need the same standard input, so keep a copy.
            return header
                + "input=$(mktemp \"${TMPDIR:-/tmp}/git-storage-hook.XXXXXX\") || exit 1\n"
                + "trap 'rm -f \"$input\"' EXIT\n"
                + "cat > \"$input\"\n"
                + "if [ -x \"$0.local\" ]; then\n  \"$0.local\" \"$@\" < \"$input\" || exit $?\nfi\n"
                + $"git-storage {hook} \"$@\" < \"$input\"\n";
        }
        return header
            + "if [ -x \"$0.local\" ]; then\n  \"$0.local\" \"$@\" || exit $?\nfi\n"
            + $"exec git-storage {hook} \"$@\"\n";
    }

    private static void WriteScript(string path, string hook)
    {
        File.WriteAllText(path, Script(hook), new System.Text.UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }
}
