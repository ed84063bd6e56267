namespace StorageServer.Retention.Sweeping;

/// <summary>
/// What an upload found when it took its lease: the lease (null when a sweep kept deleting the
/// object for too long: retry later), and whether the object is erased or restricted by an erasure
/// (the upload is refused; the lease is still held and must be disposed).
/// </summary>
public sealed record UploadLeaseAcquisition(UploadLeaseHandle? Lease, bool Erased);
