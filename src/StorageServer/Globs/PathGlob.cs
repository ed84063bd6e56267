using System.Text;
using System.Text.RegularExpressions;

namespace StorageServer.Globs;

/// <summary>
/// A gitattributes-style glob over slash-separated repository paths (ref names have <see cref="RefGlob"/>):
/// <c>*</c> and <c>?</c> stay within one segment, <c>**</c> spans segments, and a pattern without
/// a slash matches the last segment anywhere (<c>*.csv</c> matches <c>data/a.csv</c>). Patterns
/// are anchored at the root otherwise; a leading slash is ignored. Matching is ordinal.
/// </summary>
public sealed class PathGlob
{
    private readonly Regex _regex;

    private PathGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    /// <summary>Parses <paramref name="pattern"/>; throws <see cref="FormatException"/> for an empty one or one with a NUL or newline.</summary>
    public static PathGlob Parse(string pattern)
    {
        if (!TryParse(pattern, out var glob, out var error))
        {
            throw new FormatException(error);
        }
        return glob;
    }

    public static bool TryParse(string? pattern, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PathGlob? glob, out string error)
    {
        glob = null;
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > 1024)
        {
            error = "A glob must be 1 to 1024 characters.";
            return false;
        }
        if (pattern.AsSpan().IndexOfAny('\0', '\n', '\r') >= 0)
        {
            error = "A glob must not contain NUL or line breaks.";
            return false;
        }
        var body = pattern.TrimStart('/');
        var basenameOnly = !body.TrimEnd('/').Contains('/', StringComparison.Ordinal);
        var regex = new StringBuilder("^");
        if (basenameOnly)
        {
            regex.Append("(?:.*/)?");
        }
        AppendBody(regex, body.EndsWith('/') ? body + "**" : body);
        regex.Append('$');
        glob = new PathGlob(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)));
        error = string.Empty;
        return true;
    }

    public bool IsMatch(string path) => _regex.IsMatch(path.TrimStart('/'));

    public override string ToString() => Pattern;

    /// <summary>Appends the regex for a glob body.</summary>
    /// <param name="capture">
    /// A literal token in <paramref name="body"/> that stands for part of one segment, captured as
    /// the named group <c>Group</c> (erasure's <c>{subject}</c> path rules).
    /// </param>
    internal static void AppendBody(StringBuilder regex, string body, (string Token, string Group)? capture = null)
    {
        for (var i = 0; i < body.Length; i++)
        {
            if (capture is { } token && string.CompareOrdinal(body, i, token.Token, 0, token.Token.Length) == 0)
            {
                regex.Append("(?<").Append(token.Group).Append(">[^/]+?)");
                i += token.Token.Length - 1;
                continue;
            }
            var c = body[i];
            if (c == '*' && i + 1 < body.Length && body[i + 1] == '*')
            {
                var atSegmentStart = i == 0 || body[i - 1] == '/';
                var slashFollows = i + 2 < body.Length && body[i + 2] == '/';
                if (atSegmentStart && slashFollows)
                {
                    regex.Append("(?:.*/)?"); // "**/" is zero or more whole segments
                    i += 2;
                }
                else
                {
                    regex.Append(".*");
                    i++;
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
    }
}
