namespace StorageServer.Retention.Entities;

/// <summary>An upload in progress: a sweep never deletes an object that has one.</summary>
public sealed class UploadLease
{
    public long Id { get; set; }

    public required string Oid { get; set; }

    public required string Node { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>A crashed node's lease stops counting after this.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// A sweep about to delete an object's bytes. Committed before the sweep checks for upload
/// leases, while an upload takes its lease before checking for fences: whichever comes second
/// sees the other, so an upload never hashes bytes that are being deleted under it.
/// </summary>
public sealed class SweepFence
{
    public required string Oid { get; set; }

    public long RunId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
