using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using StorageServer.Globs;

namespace StorageServer.Erasure;

/// <summary>
/// A path rule such as <c>data/customers/{subject}/**</c>: a <see cref="PathGlob"/> (translated by
/// the same code, so the two dialects cannot drift apart) with one <c>{subject}</c> placeholder
/// standing for exactly one whole path segment (<c>people/{subject}.bin</c> is refused: a segment
/// such as <c>c1042.bin</c> must not be confused with <c>c10420.bin</c>'s by a partial match). Matching a path yields the text in the placeholder's place,
/// which is then compared as a keyed hash, so rules resolve a subject known only by its hash.
/// </summary>
public sealed class SubjectPathPattern
{
    public const string Placeholder = "{subject}";

    private readonly Regex _regex;

    private SubjectPathPattern(Regex regex) => _regex = regex;

    public static bool TryParse(string? pattern, [NotNullWhen(true)] out SubjectPathPattern? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > 1024)
        {
            error = "pattern is required (at most 1024 characters).";
            return false;
        }
        var first = pattern.IndexOf(Placeholder, StringComparison.Ordinal);
        if (first < 0 || pattern.IndexOf(Placeholder, first + 1, StringComparison.Ordinal) >= 0)
        {
            error = $"pattern must contain {Placeholder} exactly once, e.g. data/customers/{Placeholder}/**.";
            return false;
        }
        var end = first + Placeholder.Length;
        if ((first > 0 && pattern[first - 1] != '/') || (end < pattern.Length && pattern[end] != '/'))
        {
            error = $"{Placeholder} must be a whole path segment (between slashes), e.g. data/customers/{Placeholder}/**.";
            return false;
        }
        if (pattern.StartsWith('/') || pattern.Contains("//", StringComparison.Ordinal) || pattern.Contains('\n', StringComparison.Ordinal))
        {
            error = "pattern must be a relative path without empty segments.";
            return false;
        }
        var regex = new StringBuilder("^");
        if (!pattern.Contains('/', StringComparison.Ordinal))
        {
            regex.Append("(?:.*/)?");
        }
        PathGlob.AppendBody(regex, pattern, (Placeholder, "subject"));
        regex.Append('$');
        parsed = new SubjectPathPattern(new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)));
        error = null;
        return true;
    }

    /// <summary>The text standing in the placeholder's place when <paramref name="path"/> matches.</summary>
    public bool TryMatch(string path, [NotNullWhen(true)] out string? subject)
    {
        var match = _regex.Match(path);
        subject = match.Success ? match.Groups["subject"].Value : null;
        return subject is not null;
    }
}
