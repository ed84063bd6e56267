namespace StorageServer.Data.Entities;

/// <summary>
/// One entry of the append-only audit trail. Each entry's hash covers the previous entry's
/// hash, so deleting or editing any row breaks the chain from there on.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who acted: a user name or <c>system</c>. Never a data subject's identity.</summary>
    public required string Actor { get; set; }

    /// <summary>Dotted verb, e.g. <c>repo.create</c>, <c>token.revoke</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What was acted on, e.g. a repository name or <c>token:12</c>.</summary>
    public required string Target { get; set; }

    /// <summary>Details as JSON (before/after values); never secrets or personal data.</summary>
    public string? DetailsJson { get; set; }

    /// <summary>Hex SHA-256 of the previous entry, or 64 zeros for the first.</summary>
    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
