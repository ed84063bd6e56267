using System.Text;

namespace GitHooks.Git;

/// <summary>
/// The work tree's root <c>.gitattributes</c>, as <c>track</c>, <c>untrack</c> and <c>migrate</c>
/// edit it: lines are kept as they are, LFS lines are <c>&lt;pattern&gt; filter=lfs diff=lfs merge=lfs -text</c>,
/// and a pattern with spaces is written with <c>[[:space:]]</c> as git-lfs does.
/// </summary>
public sealed class AttributesFile(string path)
{
    public const string LfsAttributes = "filter=lfs diff=lfs merge=lfs -text";

    public string Path { get; } = path;

    /// <summary>Attribute files split on whitespace, so a space in a pattern is written as a class.</summary>
    public static string Escape(string pattern) => pattern.Replace(" ", "[[:space:]]", StringComparison.Ordinal);

    public static string TrackLine(string pattern) => $"{Escape(pattern)} {LfsAttributes}";

    /// <summary>The pattern of a line that sets <c>filter=lfs</c>, or null.</summary>
    public static string? LfsPattern(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('#'))
        {
            return null;
        }
        var fields = trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && fields.Skip(1).Contains("filter=lfs") ? fields[0] : null;
    }

    public async Task<string> ReadAsync(CancellationToken cancellationToken) =>
        File.Exists(Path) ? await File.ReadAllTextAsync(Path, cancellationToken) : string.Empty;

    public async Task<List<string>> TrackedPatternsAsync(CancellationToken cancellationToken) =>
        [.. (await ReadAsync(cancellationToken)).Split('\n').Select(LfsPattern).OfType<string>()];

    public Task WriteAsync(string text, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path, text, new UTF8Encoding(false), cancellationToken);

    /// <summary>Appends lines after the existing text, which gets a final newline first if it lacks one.</summary>
    public static string Append(string text, IEnumerable<string> lines)
    {
        var added = string.Concat(lines.Select(l => l + "\n"));
        if (added.Length == 0)
        {
            return text;
        }
        return text.Length > 0 && !text.EndsWith('\n') ? text + "\n" + added : text + added;
    }
}
