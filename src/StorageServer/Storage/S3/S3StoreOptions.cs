namespace StorageServer.Storage.S3;

/// <summary>The S3-compatible bucket holding the objects. Section <c>ObjectStore:S3</c>.</summary>
public sealed class S3StoreOptions
{
    public const string Section = "ObjectStore:S3";

    /// <summary>Smallest part S3 accepts in a multipart upload (all but the last part).</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>Upper bound we allow: parts are pooled byte arrays, two of them per upload.</summary>
    public const int MaxPartSize = 512 * 1024 * 1024;

    /// <summary>Endpoint of a non-AWS server (MinIO, Ceph, s3rver…); unset means AWS itself.</summary>
    public Uri? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    /// <summary>AWS region, or the signing region of a non-AWS endpoint (default <c>us-east-1</c>).</summary>
    public string? Region { get; set; }

    /// <summary>Static credentials; when both are unset the SDK's default chain (env, profile, IAM role) is used.</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Key prefix inside the bucket, e.g. <c>lfs/</c>; a missing trailing slash is added.</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Path-style URLs (<c>host/bucket/key</c>), which most non-AWS servers need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Bytes per multipart part; an upload holds at most two parts in memory.</summary>
    public int PartSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Batch answers send clients straight to the bucket with pre-signed URLs (PUT bound to the
    /// object's SHA-256, GET), so object bytes bypass the server. Off by default. The bucket must be
    /// reachable by clients at <see cref="ServiceUrl"/>. Uploads land on a staging key and become
    /// the object only when the verify action finds their SHA-256 right.
    /// </summary>
    public bool DirectTransfers { get; set; }

    public string NormalizedPrefix => Prefix.Length == 0 || Prefix.EndsWith('/') ? Prefix : Prefix + "/";
}
