using System.Text;
using System.Text.RegularExpressions;

namespace GitHooks.Filtering;

/// <summary>
/// A path pattern as git-lfs matches them (filepathfilter), in one of its two flavours.
/// <see cref="GitIgnore"/> (<c>--include</c>/<c>--exclude</c> of fetch, pull, ls-files, and
/// <c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c>; gitignore(5) wildmatch with "contents"): a
/// pattern without a slash matches any path component (<c>*.bin</c>, <c>textures</c>); one with a
/// slash is anchored at the root (<c>data/train</c>, <c>/models/*.pt</c>); a pattern that matches a
/// directory matches everything under it; a trailing slash matches directories only.
/// <see cref="GitAttributes"/> (<c>migrate</c>, gitattributes(5)): a pattern without a slash matches
/// the file name, one with a slash the whole path from the root (<c>data/**</c>).
/// In both, <c>*</c> and <c>?</c> stay within a component and <c>**</c> spans them.
/// </summary>
public sealed class PathPattern
{
    private readonly Regex _regex;
    private readonly bool _directoryOnly;
    private readonly bool _anchored;
    private readonly bool _contents;

    private PathPattern(string text, Regex regex, bool directoryOnly, bool anchored, bool contents)
    {
        Text = text;
        _regex = regex;
        _directoryOnly = directoryOnly;
        _anchored = anchored;
        _contents = contents;
    }

    public string Text { get; }

    public static PathPattern GitIgnore(string pattern) => Parse(pattern, contents: true);

    public static PathPattern GitAttributes(string pattern) => Parse(pattern, contents: false);

    private static PathPattern Parse(string pattern, bool contents)
    {
        var body = pattern.Trim();
        if (body.StartsWith("./", StringComparison.Ordinal))
        {
            body = body[2..];
        }
        var directoryOnly = body.Length > 1 && body.EndsWith('/');
        body = body.TrimEnd('/');
        var anchored = body.Contains('/', StringComparison.Ordinal);
        body = body.TrimStart('/');
        if (body is "" or "." or "*")
        {
            body = "**";
        }
        var regex = new StringBuilder("^");
        AppendGlob(regex, body);
        regex.Append('$');
        return new PathPattern(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)), directoryOnly, anchored, contents);
    }

    /// <summary>
    /// True when <paramref name="path"/> (root-relative, forward slashes) matches, or, for a
    /// gitignore pattern, one of its parent directories does.
    /// </summary>
    public bool Matches(string path)
    {
        var parts = path.Trim('/').Split('/');
        for (var end = _contents ? 1 : parts.Length; end <= parts.Length; end++)
        {
            var isDirectory = end < parts.Length;
            if (_directoryOnly && !isDirectory)
            {
                continue;
            }
            if (_anchored ? _regex.IsMatch(string.Join('/', parts, 0, end)) : _regex.IsMatch(parts[end - 1]))
            {
                return true;
            }
        }
        return false;
    }

    private static void AppendGlob(StringBuilder regex, string glob)
    {
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slashFollows = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else if (c == '[' && glob.IndexOf(']', i + 1) is var close and > 0)
            {
                var set = glob[(i + 1)..close];
                regex.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = close;
            }
            else if (c == '\\' && i + 1 < glob.Length)
            {
                regex.Append(Regex.Escape(glob[++i].ToString()));
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
    }
}
