using GitHooks.Api;

namespace GitHooks.Filtering;

/// <summary>
/// Which paths a download (fetch, pull, the filter's smudges, post-checkout) may bring: included by
/// one of the include patterns, when there are any, and by none of the exclude patterns. Patterns
/// come from <c>--include</c>/<c>--exclude</c> (comma-separated, each flag may repeat) or else from
/// <c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c> (git config or .lfsconfig), as in git-lfs:
/// a flag given on the command line replaces the config value, an empty one clears it.
/// </summary>
public sealed class PathFilter
{
    private readonly IReadOnlyList<PathPattern> _include;
    private readonly IReadOnlyList<PathPattern> _exclude;

    /// <param name="gitAttributes">Match as .gitattributes does (migrate) instead of as .gitignore does.</param>
    public PathFilter(IEnumerable<string> include, IEnumerable<string> exclude, bool gitAttributes = false)
    {
        Func<string, PathPattern> parse = gitAttributes ? PathPattern.GitAttributes : PathPattern.GitIgnore;
        _include = [.. include.Select(parse)];
        _exclude = [.. exclude.Select(parse)];
    }

    public static PathFilter All { get; } = new([], []);

    public bool IsEmpty => _include.Count == 0 && _exclude.Count == 0;

    public IEnumerable<string> Include => _include.Select(p => p.Text);

    public IEnumerable<string> Exclude => _exclude.Select(p => p.Text);

    public bool Allows(string path) =>
        (_include.Count == 0 || _include.Any(p => p.Matches(path))) && !_exclude.Any(p => p.Matches(path));

    /// <param name="include">The <c>--include</c> values given, or null when the flag was not used.</param>
    /// <param name="exclude">The <c>--exclude</c> values given, or null when the flag was not used.</param>
    public static PathFilter FromConfig(GitConfig config, IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null) => new(
        Split(include ?? [config.Get("lfs.fetchinclude") ?? string.Empty]),
        Split(exclude ?? [config.Get("lfs.fetchexclude") ?? string.Empty]));

    /// <summary>Only what the command line gave (ls-files: the fetch settings do not apply).</summary>
    public static PathFilter FromArguments(IReadOnlyList<string>? include, IReadOnlyList<string>? exclude) => new(Split(include ?? []), Split(exclude ?? []));

    /// <summary>Only the configured excludes: what prune and fsck honour (git-lfs ignores fetchinclude there).</summary>
    public static PathFilter ExcludesFromConfig(GitConfig config) => new([], Split([config.Get("lfs.fetchexclude") ?? string.Empty]));

    /// <summary>Comma-separated values, each flag possibly repeated, as one list.</summary>
    public static IEnumerable<string> Split(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
