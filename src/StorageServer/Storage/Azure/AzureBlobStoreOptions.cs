namespace StorageServer.Storage.Azure;

/// <summary>The Azure Blob Storage container holding the objects. Section <c>ObjectStore:AzureBlob</c>.</summary>
public sealed class AzureBlobStoreOptions
{
    public const string Section = "ObjectStore:AzureBlob";

    /// <summary>Most blocks one block blob may commit (the service's limit).</summary>
    public const int MaxBlocks = 50_000;

    public const int MinBlockSize = 1024 * 1024;

    /// <summary>Upper bound we allow: blocks are pooled byte arrays, two of them per upload.</summary>
    public const int MaxBlockSize = 256 * 1024 * 1024;

    /// <summary>
    /// A storage connection string with the account key (<c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…</c>,
    /// or azurite's <c>UseDevelopmentStorage=true</c>). Give this, or <see cref="ServiceUrl"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The blob endpoint, e.g. <c>https://account.blob.core.windows.net</c>. With
    /// <see cref="AccountName"/> and <see cref="AccountKey"/> the server signs with the shared key;
    /// without them it signs in with Microsoft Entra ID (managed identity, workload identity,
    /// environment or Azure CLI credentials, in that order of preference of DefaultAzureCredential).
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    public string? AccountName { get; set; }

    public string? AccountKey { get; set; }

    public string? Container { get; set; }

    /// <summary>Blob name prefix, e.g. <c>lfs/</c>; a missing trailing slash is added.</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Bytes per staged block; an upload holds at most two blocks in memory.</summary>
    public int BlockSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Batch answers send clients straight to the container with SAS URLs (a user-delegation SAS
    /// with Entra credentials, a service SAS with the shared key), so object bytes bypass the
    /// server. Off by default. Uploads land on a staging blob and become the object only when the
    /// verify action found their SHA-256 right.
    /// </summary>
    public bool DirectTransfers { get; set; }

    public string NormalizedPrefix => Prefix.Length == 0 || Prefix.EndsWith('/') ? Prefix : Prefix + "/";
}
