using System.Text;
using System.Text.RegularExpressions;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// The oracle's own glob matcher, written from the spec (retention-semantics.md, "Ref globs") and
/// the README (holds: "<c>*</c> within a segment, <c>**</c> across segments, no slash = basename
/// anywhere"), not from the server's PathGlob. Anchored at both ends, ordinal.
/// </summary>
public static class OracleGlob
{
    /// <summary>A protectedRefs or refGlob entry against a full ref name such as <c>refs/heads/feature/x</c>.</summary>
    public static bool MatchesRef(string glob, string refName) => Compile(glob).IsMatch(refName);

    /// <summary>A pathGlob or path hold against a repository path; a glob without a slash matches the basename at any depth.</summary>
    public static bool MatchesPath(string glob, string path) =>
        glob.Contains('/', StringComparison.Ordinal)
            ? Compile(glob).IsMatch(path)
            : Compile(glob).IsMatch(path[(path.LastIndexOf('/') + 1)..]);

    private static Regex Compile(string glob)
    {
        var segments = glob.Split('/');
        var pattern = new StringBuilder("^");
        for (var i = 0; i < segments.Length; i++)
        {
            var first = i == 0;
            var last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                // A whole-segment ** is zero or more segments, except trailing, where it is one or more.
                pattern.Append(segments.Length == 1 ? ".*" : first ? "(?:[^/]+/)*" : last ? "(?:/[^/]+)+" : "/(?:[^/]+/)*");
                continue;
            }
            if (!first && segments[i - 1] != "**")
            {
                pattern.Append('/');
            }
            pattern.Append(Segment(segments[i]));
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>One segment: <c>**</c> inside it crosses slashes, <c>*</c> and <c>?</c> do not, everything else is literal.</summary>
    private static string Segment(string segment)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '*' && i + 1 < segment.Length && segment[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else
            {
                regex.Append(segment[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }
        return regex.ToString();
    }
}
