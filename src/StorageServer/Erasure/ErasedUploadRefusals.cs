using StorageServer.Audit;

namespace StorageServer.Erasure;

/// <summary>Audits each batch that tried to upload erased objects (by keyed hash: the audit trail holds no raw oid of erased data).</summary>
public sealed class ErasedUploadRefusals(AuditLog audit, SubjectHasher hasher, ILogger<ErasedUploadRefusals> logger)
{
    public async Task RecordAsync(string repository, string user, IReadOnlyCollection<string> oids, CancellationToken cancellationToken)
    {
        var hashes = oids.Select(hasher.Oid).Order(StringComparer.Ordinal).ToList();
        await audit.AppendAsync(user, "erasure.upload_refused", repository, new { objects = hashes }, cancellationToken);
        logger.LogWarning("Refused the upload of {Count} erased objects to {Repository} by {User}", oids.Count, repository, user);
    }
}
