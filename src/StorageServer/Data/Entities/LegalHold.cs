namespace StorageServer.Data.Entities;

/// <summary>
/// A legal hold: while active (not released) nothing it covers may be deleted by retention, by an
/// admin or by erasure. It covers one object (<see cref="Oid"/>), one repository, or the objects
/// found at paths matching <see cref="PathGlob"/> (in one repository or in all of them).
/// Holds are never deleted, only released, so the record of what was held stays.
/// </summary>
public sealed class LegalHold
{
    public long Id { get; set; }

    /// <summary>The case or matter this hold belongs to, as the legal team names it.</summary>
    public required string CaseReference { get; set; }

    public long? RepositoryId { get; set; }

    public string? PathGlob { get; set; }

    public string? Oid { get; set; }

    public string? Reason { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }

    public string? ReleasedBy { get; set; }

    public string? ReleaseReason { get; set; }
}
