using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace StorageServer.Globs;

/// <summary>
/// A glob over full ref names (retention's <c>protectedRefs</c> and <c>refGlob</c>), matched
/// against the whole name, ordinal. <c>*</c> is any run of characters except <c>/</c> (within one
/// segment), <c>?</c> one character except <c>/</c>, <c>**</c> any run including <c>/</c>: as a
/// whole segment, <c>a/**/b</c> is zero or more segments between, and a trailing <c>/**</c> one or
/// more segments (<c>refs/heads/**</c> matches <c>refs/heads/main</c> and <c>refs/heads/feature/x</c>,
/// not <c>refs/heads</c>). A trailing <c>/</c> means the same as <c>/**</c>. Nothing else is special.
/// Unlike <see cref="PathGlob"/>, a pattern never matches a last segment alone: it must start with <c>refs/</c>.
/// </summary>
public sealed class RefGlob
{
    public const string Syntax = "a ref glob starts with refs/; * matches within one segment, ** across segments (refs/heads/** is every branch)";

    private readonly Regex _regex;

    private RefGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    /// <summary>Parses <paramref name="pattern"/>; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static RefGlob Parse(string pattern) =>
        TryParse(pattern, out var glob, out var error) ? glob : throw new FormatException($"'{pattern}': {error}");

    public static bool TryParse(string? pattern, [NotNullWhen(true)] out RefGlob? glob, out string error)
    {
        glob = null;
        if (string.IsNullOrEmpty(pattern) || pattern.Length > 1024)
        {
            error = "a ref glob must be 1 to 1024 characters";
            return false;
        }
        if (!pattern.StartsWith("refs/", StringComparison.Ordinal))
        {
            error = Syntax + ", e.g. refs/heads/main or refs/tags/**";
            return false;
        }
        if (pattern.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || pattern.Contains("//", StringComparison.Ordinal))
        {
            error = "a ref glob must not contain spaces, control characters or empty segments";
            return false;
        }
        var body = pattern.EndsWith('/') ? pattern + "**" : pattern;
        var regex = new StringBuilder("^");
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '*' && i + 1 < body.Length && body[i + 1] == '*')
            {
                var wholeSegment = body[i - 1] == '/' && (i + 2 == body.Length || body[i + 2] == '/');
                if (wholeSegment && i + 2 == body.Length)
                {
                    regex.Append("[^/]+(?:/[^/]+)*"); // trailing "/**": one or more segments
                }
                else if (wholeSegment)
                {
                    regex.Append("(?:[^/]+/)*"); // "/**/": zero or more segments
                    i++;
                }
                else
                {
                    regex.Append(".*");
                }
                i++;
            }
            else
            {
                regex.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            }
        }
        regex.Append('$');
        glob = new RefGlob(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)));
        error = string.Empty;
        return true;
    }

    public bool IsMatch(string reference) => _regex.IsMatch(reference);

    public override string ToString() => Pattern;
}
