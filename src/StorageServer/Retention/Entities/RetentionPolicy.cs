namespace StorageServer.Retention.Entities;

/// <summary>
/// One retention rule set, scoped server → repository → ref glob → path glob. Where several apply
/// to an object, the most protective outcome wins (<see cref="Planning.EffectivePolicies"/>).
/// </summary>
public sealed class RetentionPolicy
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Null: every repository (a server-wide policy).</summary>
    public long? RepositoryId { get; set; }

    /// <summary>Only objects in the history of refs matching this glob (e.g. <c>refs/heads/release/*</c>).</summary>
    public string? RefGlob { get; set; }

    /// <summary>Only objects at paths matching this glob (gitattributes-like).</summary>
    public string? PathGlob { get; set; }

    /// <summary>Ref globs whose tips keep everything they reach, one per line. Server/repo scope only.</summary>
    public string? ProtectedRefs { get; set; }

    /// <summary>Keep an object this many days after no protected tip references it any more.</summary>
    public int? KeepDaysAfterDereference { get; set; }

    /// <summary>Keep the newest N versions of each path on each ref.</summary>
    public int? KeepLastVersions { get; set; }

    /// <summary>Remove matching files from branch tips (server commit) once this old.</summary>
    public int? MaxAgeDays { get; set; }

    /// <summary>Uploads no pushed commit references are reclaimed after this.</summary>
    public int? OrphanGraceHours { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Bumped on every change; reports name the versions they were computed with.</summary>
    public int Version { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}
