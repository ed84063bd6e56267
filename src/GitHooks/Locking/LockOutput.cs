using System.Text.Json;
using System.Text.Json.Nodes;
using StorageServer.Protocol.Locks;

namespace GitHooks.Locking;

/// <summary>How locks are shown: git-lfs's aligned table (<c>path  owner  ID:id</c>, <c>O</c> marks your own with --verify), or JSON.</summary>
public static class LockOutput
{
    public static IEnumerable<string> Table(IReadOnlyList<LfsLock> locks, IReadOnlySet<string>? ours = null)
    {
        var pathWidth = locks.Select(l => l.Path.Length).DefaultIfEmpty(0).Max();
        var ownerWidth = locks.Select(l => Owner(l).Length).DefaultIfEmpty(0).Max();
        foreach (var item in locks.OrderBy(l => l.Path, StringComparer.Ordinal))
        {
            var mark = ours is null ? string.Empty : ours.Contains(item.Id) ? "O " : "  ";
            yield return $"{mark}{item.Path.PadRight(pathWidth)}\t{Owner(item).PadRight(ownerWidth)}\tID:{item.Id}";
        }
    }

    public static JsonObject Json(LfsLock item)
    {
        var json = new JsonObject
        {
            ["id"] = item.Id,
            ["path"] = item.Path,
            ["locked_at"] = item.LockedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (item.Owner is { } owner)
        {
            json["owner"] = new JsonObject { ["name"] = owner.Name };
        }
        return json;
    }

    public static string JsonArray(IEnumerable<LfsLock> locks) => new JsonArray([.. locks.Select(l => (JsonNode)Json(l))]).ToJsonString(Options);

    public static string JsonVerify(IEnumerable<LfsLock> ours, IEnumerable<LfsLock> theirs) => new JsonObject
    {
        ["ours"] = new JsonArray([.. ours.Select(l => (JsonNode)Json(l))]),
        ["theirs"] = new JsonArray([.. theirs.Select(l => (JsonNode)Json(l))]),
    }.ToJsonString(Options);

    private static string Owner(LfsLock item) => item.Owner?.Name ?? string.Empty;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };
}
