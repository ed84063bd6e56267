namespace StorageServer.Repos;

/// <summary>
/// Repository names are <c>owner/name</c>. Each segment is restricted to characters that are
/// safe in a URL and a file path, so a name can never traverse out of the repositories folder.
/// </summary>
public static class RepoNames
{
    private const int MaxSegmentLength = 100;

    public static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name)
    {
        if (name is null)
        {
            return false;
        }
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IsValidSegment(name[..slash]) && IsValidSegment(name[(slash + 1)..]);
    }

    /// <summary>Builds the name from URL route values; the name segment may carry a <c>.git</c> suffix.</summary>
    public static string? FromRoute(string? owner, string? repo)
    {
        if (owner is null || repo is null)
        {
            return null;
        }
        if (repo.EndsWith(".git", StringComparison.Ordinal))
        {
            repo = repo[..^4];
        }
        var name = $"{owner}/{repo}";
        return IsValid(name) ? name : null;
    }

    private static bool IsValidSegment(string segment) =>
        segment.Length is > 0 and <= MaxSegmentLength
        && char.IsAsciiLetterOrDigit(segment[0])
        && !segment.EndsWith(".git", StringComparison.OrdinalIgnoreCase)
        && !segment.Contains("..", StringComparison.Ordinal)
        && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
