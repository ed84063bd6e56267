using StorageServer.Globs;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Planning;

/// <summary>
/// The policies that apply to one repository, folded so that the most protective outcome wins:
/// protected refs are the union of every applicable scope's (server scope falls back to all
/// branches and tags), the orphan grace is the longest, and an object reaches the end of its
/// history retention only when every applicable history rule lets it go.
/// </summary>
public sealed class EffectivePolicies
{
    /// <summary>Every branch and every tag, at any depth (<c>refs/heads/feature/x</c>, <c>refs/tags/releases/v1</c>).</summary>
    public static readonly string[] DefaultProtectedRefs = ["refs/heads/**", "refs/tags/**"];

    private EffectivePolicies(IReadOnlyList<RefGlob> protectedRefs, TimeSpan orphanGrace, IReadOnlyList<HistoryRule> history, IReadOnlyList<HistoryRule> maxAge)
    {
        ProtectedRefs = protectedRefs;
        OrphanGrace = orphanGrace;
        History = history;
        MaxAge = maxAge;
    }

    public IReadOnlyList<RefGlob> ProtectedRefs { get; }

    public TimeSpan OrphanGrace { get; }

    public IReadOnlyList<HistoryRule> History { get; }

    public IReadOnlyList<HistoryRule> MaxAge { get; }

    public bool IsProtected(string reference) => ProtectedRefs.Any(g => g.IsMatch(reference));

    public static EffectivePolicies For(long repositoryId, IEnumerable<RetentionPolicy> policies, TimeSpan defaultOrphanGrace)
    {
        var applicable = policies.Where(p => p.Enabled && (p.RepositoryId is null || p.RepositoryId == repositoryId)).ToList();
        var serverRefs = applicable.Where(p => p.RepositoryId is null).SelectMany(p => SplitRefs(p.ProtectedRefs)).ToList();
        var repoRefs = applicable.Where(p => p.RepositoryId is not null).SelectMany(p => SplitRefs(p.ProtectedRefs));
        var protectedRefs = (serverRefs.Count == 0 ? [.. DefaultProtectedRefs] : serverRefs).Concat(repoRefs)
            .Distinct(StringComparer.Ordinal).Select(RefGlob.Parse).ToList();
        var graces = applicable.Where(p => p.OrphanGraceHours is not null).Select(p => TimeSpan.FromHours(p.OrphanGraceHours!.Value)).ToList();
        var history = applicable.Where(p => p.KeepDaysAfterDereference is not null || p.KeepLastVersions is not null).Select(HistoryRule.Of).ToList();
        var maxAge = applicable.Where(p => p.MaxAgeDays is not null && p.PathGlob is not null).Select(HistoryRule.Of).ToList();
        return new EffectivePolicies(protectedRefs, graces.Count == 0 ? defaultOrphanGrace : graces.Max(), history, maxAge);
    }

    public static IEnumerable<string> SplitRefs(string? refs) =>
        (refs ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
