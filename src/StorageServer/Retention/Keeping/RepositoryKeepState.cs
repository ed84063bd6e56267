using StorageServer.Data.Entities;
using StorageServer.Git.Refs;
using StorageServer.Retention.Planning;

namespace StorageServer.Retention.Keeping;

/// <summary>
/// Everything <see cref="ObjectKeepRules"/> needs to know about one repository at one moment,
/// read from git and the database by <see cref="KeepStateBuilder"/>: its refs (peeled), what the
/// protected ones hold at their tips, every occurrence of every object in its pushed history and
/// the refs whose history holds each commit, the last versions of paths along refs, and the
/// dereference clock. <see cref="RefsListing"/> and <see cref="PolicyStamp"/> tell whether it is still current.
/// </summary>
public sealed class RepositoryKeepState
{
    public required Repository Repository { get; init; }

    public required EffectivePolicies Policies { get; init; }

    public required IReadOnlyList<GitRef> Refs { get; init; }

    /// <summary>Oid → the first protected ref (by name) with it among its tip pointers, and the path there.</summary>
    public required IReadOnlyDictionary<string, (string Ref, string Path)> ProtectedTips { get; init; }

    /// <summary>Oid → the (commit, path) rows of the pointer index: where each commit introduced it.</summary>
    public required IReadOnlyDictionary<string, List<(string Commit, string Path)>> Occurrences { get; init; }

    /// <summary>Commit → the refs whose history holds it; null when no history rule depends on the ref (no refGlob, no keepLastVersions).</summary>
    public IReadOnlyDictionary<string, List<string>>? RefsByCommit { get; init; }

    /// <summary>Oid → paths it holds in commits git still has but no ref reaches (inherited there, not only introduced).</summary>
    public required IReadOnlyDictionary<string, HashSet<string>> Unreachable { get; init; }

    /// <summary>Ref → path → the first distinct oids at that path walking the ref's history (as many as the largest keepLastVersions).</summary>
    public required IReadOnlyDictionary<string, Dictionary<string, List<string>>> LastVersions { get; init; }

    /// <summary>The dereference clock (<c>retention_reachability</c>) by oid.</summary>
    public required IReadOnlyDictionary<string, Retention.Entities.Reachability> Clock { get; init; }

    /// <summary>The refs as listed (unpeeled) when this state was read.</summary>
    public required IReadOnlyList<(string Name, string Object, string Type)> RefsListing { get; init; }

    /// <summary>Id and version of every enabled policy when this state was read.</summary>
    public required string PolicyStamp { get; init; }

    /// <summary>
    /// D(R, O): when the server last saw the object stop being a protected tip pointer here, or first
    /// saw it here if no protected tip ever had it. A row saying a tip still holds it (while this state
    /// says none does) or no row at all means it stops now.
    /// </summary>
    public DateTimeOffset DereferencedAt(string oid, DateTimeOffset now) =>
        Clock.TryGetValue(oid, out var row) && !row.ReferencedByTip ? row.UnreferencedSince ?? row.FirstSeenAt : now;
}
