using StorageServer.Globs;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Planning;

/// <summary>
/// A history rule (keep days after dereference, keep last N, or a maximum age) with its parsed
/// scope: it applies to an occurrence on ref <c>r</c> at path <c>p</c> when its pathGlob (if any)
/// matches <c>p</c> and its refGlob (if any) matches <c>r</c>; a refGlob never matches "no ref".
/// </summary>
public sealed record HistoryRule(RetentionPolicy Policy, RefGlob? RefGlob, PathGlob? PathGlob)
{
    public bool AppliesToPath(string path) => PathGlob is null || PathGlob.IsMatch(path);

    /// <param name="reference">The ref, or null for a commit no ref reaches.</param>
    public bool AppliesToRef(string? reference) => RefGlob is null || (reference is not null && RefGlob.IsMatch(reference));

    public bool AppliesTo(string? reference, string path) => AppliesToRef(reference) && AppliesToPath(path);

    public static HistoryRule Of(RetentionPolicy policy) =>
        new(policy, policy.RefGlob is null ? null : RefGlob.Parse(policy.RefGlob), policy.PathGlob is null ? null : PathGlob.Parse(policy.PathGlob));
}
