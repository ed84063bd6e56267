using StorageServer.Retention.Entities;
using StorageServer.Retention.Planning;

namespace StorageServer.Retention.Api;

public sealed record PolicyRequest(
    string? Name, string? Repository, string? RefGlob, string? PathGlob, List<string>? ProtectedRefs,
    int? KeepDaysAfterDereference, int? KeepLastVersions, int? MaxAgeDays, int? OrphanGraceHours, bool? Enabled)
{
    private const int MaxDays = 36500;

    /// <summary>The first problem with the request, or null when it is a valid policy.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
        {
            return "name is required (at most 200 characters).";
        }
        if (ProtectedRefs is null && KeepDaysAfterDereference is null && KeepLastVersions is null && MaxAgeDays is null && OrphanGraceHours is null)
        {
            return "a policy needs at least one rule: protectedRefs, keepDaysAfterDereference, keepLastVersions, maxAgeDays or orphanGraceHours.";
        }
        foreach (var (value, field, max) in new[] { (KeepDaysAfterDereference, "keepDaysAfterDereference", MaxDays), (KeepLastVersions, "keepLastVersions", 100000), (MaxAgeDays, "maxAgeDays", MaxDays), (OrphanGraceHours, "orphanGraceHours", MaxDays * 24) })
        {
            if (value is < 1 || value > max)
            {
                return $"{field} must be between 1 and {max}.";
            }
        }
        if (ProtectedRefs is not null && (RefGlob is not null || PathGlob is not null))
        {
            return "protectedRefs is a server or repository setting: leave refGlob and pathGlob out of that policy.";
        }
        if (OrphanGraceHours is not null && (RefGlob is not null || PathGlob is not null))
        {
            return "orphanGraceHours is a server or repository setting: leave refGlob and pathGlob out of that policy.";
        }
        if (MaxAgeDays is not null && PathGlob is null)
        {
            return "maxAgeDays needs a pathGlob naming the files it expires.";
        }
        foreach (var glob in ProtectedRefs ?? [])
        {
            if (!Globs.RefGlob.TryParse(glob?.Trim(), out _, out var error))
            {
                return $"protectedRefs '{glob}': {error}.";
            }
        }
        if (RefGlob is not null && !Globs.RefGlob.TryParse(RefGlob, out _, out var refError))
        {
            return $"refGlob '{RefGlob}': {refError}.";
        }
        if (PathGlob is not null && !Globs.PathGlob.TryParse(PathGlob, out _, out var pathError))
        {
            return $"pathGlob '{PathGlob}': {pathError}";
        }
        return null;
    }

    public void ApplyTo(RetentionPolicy policy, long? repositoryId)
    {
        policy.Name = Name!.Trim();
        policy.RepositoryId = repositoryId;
        policy.RefGlob = RefGlob;
        policy.PathGlob = PathGlob;
        policy.ProtectedRefs = ProtectedRefs is null ? null : string.Join('\n', ProtectedRefs.Select(r => r.Trim()));
        policy.KeepDaysAfterDereference = KeepDaysAfterDereference;
        policy.KeepLastVersions = KeepLastVersions;
        policy.MaxAgeDays = MaxAgeDays;
        policy.OrphanGraceHours = OrphanGraceHours;
        policy.Enabled = Enabled ?? true;
    }
}

public sealed record PolicyResponse(
    long Id, string Name, string? Repository, string? RefGlob, string? PathGlob, IReadOnlyList<string>? ProtectedRefs,
    int? KeepDaysAfterDereference, int? KeepLastVersions, int? MaxAgeDays, int? OrphanGraceHours, bool Enabled, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static PolicyResponse From(RetentionPolicy p, string? repository) => new(
        p.Id, p.Name, repository, p.RefGlob, p.PathGlob, p.ProtectedRefs is null ? null : EffectivePolicies.SplitRefs(p.ProtectedRefs).ToList(),
        p.KeepDaysAfterDereference, p.KeepLastVersions, p.MaxAgeDays, p.OrphanGraceHours, p.Enabled, p.Version, p.CreatedAt, p.UpdatedAt, p.UpdatedBy);
}
