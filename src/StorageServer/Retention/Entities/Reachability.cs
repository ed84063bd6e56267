namespace StorageServer.Retention.Entities;

/// <summary>
/// Whether a protected tip of a repository references an object, and since when it no longer
/// does: the clock "keep N days after dereference" starts from <see cref="UnreferencedSince"/>.
/// Refreshed after each push (post-receive) and at each mark.
/// </summary>
public sealed class Reachability
{
    public long RepositoryId { get; set; }

    public required string Oid { get; set; }

    public long Size { get; set; }

    public bool ReferencedByTip { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>Null while a protected tip references the object.</summary>
    public DateTimeOffset? UnreferencedSince { get; set; }

    /// <summary>The protected ref whose tip referenced it last.</summary>
    public string? LastRef { get; set; }

    public string? LastPath { get; set; }
}
