using GitHooks.Git;

namespace GitHooks.Api;

/// <summary>
/// A snapshot of git configuration plus the repository's <c>.lfsconfig</c>. As with git-lfs,
/// normal git config (system, global, local) wins over <c>.lfsconfig</c>, and only the keys
/// git-lfs deems safe are taken from <c>.lfsconfig</c>, since it comes with the repository.
/// </summary>
public sealed class GitConfig
{
    private readonly List<KeyValuePair<string, string>> _git;
    private readonly List<KeyValuePair<string, string>> _lfsConfig;

    public GitConfig(IEnumerable<KeyValuePair<string, string>> git, IEnumerable<KeyValuePair<string, string>>? lfsConfig = null)
    {
        _git = [.. git.Select(Normalize)];
        _lfsConfig = [.. (lfsConfig ?? []).Select(Normalize).Where(e => IsSafeInLfsConfig(e.Key))];
    }

    public IReadOnlyList<KeyValuePair<string, string>> Entries => _git;

    /// <summary>The last value set for <paramref name="key"/>, as git's own lookup does.</summary>
    public string? Get(string key)
    {
        var normalized = NormalizeKey(key);
        return Last(_git, normalized) ?? Last(_lfsConfig, normalized);
    }

    public int GetInt(string key, int fallback) => int.TryParse(Get(key), out var value) ? value : fallback;

    public long GetLong(string key, long fallback) => long.TryParse(Get(key), out var value) ? value : fallback;

    /// <summary>git's booleans: true/yes/on/1 and false/no/off/0 (any case); anything else is <paramref name="fallback"/>.</summary>
    public bool GetBool(string key, bool fallback) => Get(key)?.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" or "" => false,
        _ => fallback,
    };

    public static async Task<GitConfig> LoadAsync(GitRunner git, string? workTree, CancellationToken cancellationToken)
    {
        var main = await git.RunAsync(cancellationToken, "config", "-z", "--list");
        GitResult lfs;
        var file = workTree is null ? null : Path.Combine(workTree, ".lfsconfig");
        if (file is not null && File.Exists(file))
        {
            lfs = await git.RunAsync(cancellationToken, "config", "-z", "--file", file, "--list");
        }
        else
        {
            // Bare repositories and fresh clones without a work-tree copy read it from HEAD.
            lfs = await git.RunAsync(cancellationToken, "config", "-z", "--blob", "HEAD:.lfsconfig", "--list");
        }
        return new GitConfig(ParseList(main.Succeeded ? main.StdOut : string.Empty), lfs.Succeeded ? ParseList(lfs.StdOut) : null);
    }

    /// <summary>Parses <c>git config -z --list</c>: NUL-separated <c>key LF value</c> entries.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseList(string output)
    {
        foreach (var entry in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var newline = entry.IndexOf('\n', StringComparison.Ordinal);
            yield return newline < 0
                ? new KeyValuePair<string, string>(entry, "true")
                : new KeyValuePair<string, string>(entry[..newline], entry[(newline + 1)..]);
        }
    }

    private static string? Last(List<KeyValuePair<string, string>> entries, string key)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i].Key == key)
            {
                return entries[i].Value;
            }
        }
        return null;
    }

    private static KeyValuePair<string, string> Normalize(KeyValuePair<string, string> entry) => new(NormalizeKey(entry.Key), entry.Value);

    /// <summary>Section and variable names are case-insensitive in git; a subsection is not.</summary>
    private static string NormalizeKey(string key)
    {
        var first = key.IndexOf('.', StringComparison.Ordinal);
        var last = key.LastIndexOf('.');
        if (first < 0)
        {
            return key.ToLowerInvariant();
        }
        if (first == last)
        {
            return key.ToLowerInvariant();
        }
        return key[..first].ToLowerInvariant() + key[first..last] + key[last..].ToLowerInvariant();
    }

    private static bool IsSafeInLfsConfig(string key) =>
        key is "lfs.url" or "lfs.pushurl" or "lfs.fetchinclude" or "lfs.fetchexclude" or "lfs.gitprotocol"
            or "lfs.locksverify" or "lfs.allowincompletepush" or "lfs.skipdownloaderrors"
        || (key.StartsWith("remote.", StringComparison.Ordinal) && (key.EndsWith(".lfsurl", StringComparison.Ordinal) || key.EndsWith(".lfspushurl", StringComparison.Ordinal)))
        || (key.StartsWith("lfs.", StringComparison.Ordinal) && key.EndsWith(".access", StringComparison.Ordinal));
}
