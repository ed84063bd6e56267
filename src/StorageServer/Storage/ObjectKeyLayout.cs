using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

/// <summary>
/// Key layout of the bucket and container stores (S3, Azure Blob): objects at <c>&lt;prefix&gt;objects/aa/bb/&lt;oid&gt;</c>, uploads in flight at
/// <c>&lt;prefix&gt;tmp/&lt;node&gt;/&lt;oid&gt;.&lt;guid&gt;</c>, so each node can find and clear its own leftovers,
/// and direct (pre-signed) uploads waiting for their verify at <c>&lt;prefix&gt;staging/&lt;oid&gt;.&lt;upload id&gt;</c>.
/// </summary>
internal sealed class ObjectKeyLayout(string prefix, string nodeId)
{
    public string ObjectsPrefix { get; } = prefix + "objects/";

    public string NodeTempPrefix { get; } = $"{prefix}tmp/{nodeId}/";

    public string Final(Oid oid) => ObjectsPrefix + oid.ShardedPath('/');

    public string NewTemp(Oid oid) => $"{NodeTempPrefix}{oid}.{Guid.NewGuid():N}";

    public string StagingPrefix { get; } = prefix + "staging/";

    public string Staging(Oid oid, string uploadId) => $"{StagingPrefix}{oid}.{uploadId}";

    /// <summary>32 lowercase hex digits (a Guid "N"): nothing else may name a staging key.</summary>
    public static bool IsUploadId(string uploadId) =>
        uploadId.Length == 32 && uploadId.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>The OID of a key in the objects layout; false for anything foreign.</summary>
    public bool TryParseFinal(string key, out Oid oid) =>
        Oid.TryParse(key[(key.LastIndexOf('/') + 1)..], out oid) && key == Final(oid);
}
