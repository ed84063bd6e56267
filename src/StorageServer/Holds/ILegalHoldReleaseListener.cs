using StorageServer.Data.Entities;

namespace StorageServer.Holds;

/// <summary>
/// Told after a hold's release is committed, so work that waited on it (a deferred erasure
/// request, say) can go on. A listener that throws is logged; the release stands.
/// </summary>
public interface ILegalHoldReleaseListener
{
    Task OnReleasedAsync(LegalHold hold, CancellationToken cancellationToken);
}
