using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage.S3;

/// <summary>
/// Key layout: objects at <c>&lt;prefix&gt;objects/aa/bb/&lt;oid&gt;</c>, uploads in flight at
/// <c>&lt;prefix&gt;tmp/&lt;node&gt;/&lt;oid&gt;.&lt;guid&gt;</c>, so each node can find and clear its own leftovers.
/// </summary>
internal sealed class S3ObjectKeys(string prefix, string nodeId)
{
    public string ObjectsPrefix { get; } = prefix + "objects/";

    public string NodeTempPrefix { get; } = $"{prefix}tmp/{nodeId}/";

    public string Final(Oid oid) => ObjectsPrefix + oid.ShardedPath('/');

    public string NewTemp(Oid oid) => $"{NodeTempPrefix}{oid}.{Guid.NewGuid():N}";

    /// <summary>The OID of a key in the objects layout; false for anything foreign.</summary>
    public bool TryParseFinal(string key, out Oid oid) =>
        Oid.TryParse(key[(key.LastIndexOf('/') + 1)..], out oid) && key == Final(oid);
}
