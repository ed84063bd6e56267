using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using StorageServer.Repos;

namespace StorageServer.Auth;

/// <summary>
/// Per-repository access levels of a token, e.g. <c>{"team/data":"write","*":"read"}</c>.
/// <c>*</c> names every repository; the higher of the two levels applies.
/// </summary>
public sealed class RepoScopes
{
    public const string AllRepos = "*";

    private readonly Dictionary<string, AccessLevel> _levels;

    private RepoScopes(Dictionary<string, AccessLevel> levels) => _levels = levels;

    public IReadOnlyDictionary<string, AccessLevel> Levels => _levels;

    public AccessLevel For(string repository) =>
        (AccessLevel)Math.Max((int)_levels.GetValueOrDefault(repository), (int)_levels.GetValueOrDefault(AllRepos));

    public static bool TryCreate(IReadOnlyDictionary<string, string>? scopes, [NotNullWhen(true)] out RepoScopes? result, out string? error)
    {
        result = null;
        error = null;
        if (scopes is null || scopes.Count == 0)
        {
            error = "scopes must name at least one repository, e.g. {\"team/data\":\"write\"}";
            return false;
        }
        var levels = new Dictionary<string, AccessLevel>(StringComparer.Ordinal);
        foreach (var (repo, level) in scopes)
        {
            if (repo != AllRepos && !RepoNames.IsValid(repo))
            {
                error = $"'{repo}' is not a repository name (owner/name) or '*'";
                return false;
            }
            if (!TryParseLevel(level, out var parsed))
            {
                error = $"scope level '{level}' for '{repo}' must be read, write or admin";
                return false;
            }
            levels[repo] = parsed;
        }
        result = new RepoScopes(levels);
        return true;
    }

    public static RepoScopes FromJson(string json) =>
        TryCreate(JsonSerializer.Deserialize<Dictionary<string, string>>(json), out var scopes, out var error)
            ? scopes
            : throw new InvalidDataException($"Stored token scopes are invalid: {error}");

    public string ToJson() => JsonSerializer.Serialize(_levels.ToDictionary(p => p.Key, p => FormatLevel(p.Value)));

    public static RepoScopes ServerAdmin { get; } = new(new Dictionary<string, AccessLevel> { [AllRepos] = AccessLevel.Admin });

    public static string FormatLevel(AccessLevel level) => level.ToString().ToLowerInvariant();

    private static bool TryParseLevel(string? text, out AccessLevel level)
    {
        level = text switch
        {
            "read" => AccessLevel.Read,
            "write" => AccessLevel.Write,
            "admin" => AccessLevel.Admin,
            _ => AccessLevel.None,
        };
        return level != AccessLevel.None;
    }
}
