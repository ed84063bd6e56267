using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace StorageServer.Storage.Azure;

/// <summary>
/// Signs blob URLs: a service SAS when the client holds the account key, otherwise a
/// user-delegation SAS from a key the service issues to our Entra identity (cached, and fetched
/// again before the SAS it must cover would outlive it). Neither kind can sign more than the
/// identity may do itself.
/// </summary>
internal sealed class AzureSasSigner(BlobContainerClient container, TimeProvider timeProvider)
{
    /// <summary>The service issues delegation keys valid for at most 7 days.</summary>
    private static readonly TimeSpan MaxKeyLifetime = TimeSpan.FromDays(7);

    /// <summary>Clients' clocks may run behind ours; a SAS starting now would look not yet valid to the service.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly Lock _keyGate = new();
    private Task<UserDelegationKey>? _key;
    private DateTimeOffset _keyExpiresOn;

    /// <summary>True when SAS URLs are user-delegation SAS (no account key configured).</summary>
    public bool UsesUserDelegation => !container.CanGenerateSasUri;

    public async Task<Uri> SignAsync(BlobBaseClient blob, BlobSasPermissions permissions, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var builder = new BlobSasBuilder(permissions, expiresOn)
        {
            BlobContainerName = container.Name,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = timeProvider.GetUtcNow() - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(builder);
        }
        var key = await DelegationKey(expiresOn).WaitAsync(cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(key, container.AccountName) }.ToUri();
    }

    /// <summary>One fetch shared by concurrent callers; fetched again when it failed or would not cover <paramref name="mustCover"/>.</summary>
    private Task<UserDelegationKey> DelegationKey(DateTimeOffset mustCover)
    {
        lock (_keyGate)
        {
            if (_key is null || _key.IsFaulted || _key.IsCanceled || _keyExpiresOn < mustCover)
            {
                var now = timeProvider.GetUtcNow();
                _keyExpiresOn = now + MaxKeyLifetime;
                if (mustCover > _keyExpiresOn)
                {
                    throw new InvalidOperationException("A user-delegation SAS cannot outlive 7 days; lower Lfs:TransferTokenLifetime.");
                }
                _key = FetchAsync(now - ClockSkew, _keyExpiresOn);
            }
            return _key;
        }
    }

    /// <summary>Not cancellable by one caller: other callers may be waiting for the same key.</summary>
    private async Task<UserDelegationKey> FetchAsync(DateTimeOffset startsOn, DateTimeOffset expiresOn) =>
        (await container.GetParentBlobServiceClient().GetUserDelegationKeyAsync(startsOn, expiresOn, CancellationToken.None)).Value;
}
