namespace StorageServer.RequestLimits;

/// <summary>What an endpoint's request body is, which decides its size limit and whether it waits for a JSON slot.</summary>
public enum RequestBodyKind
{
    /// <summary>A small JSON document (the default): <c>Limits:MaxRequestBodyBytes</c>.</summary>
    Json,

    /// <summary>A Git LFS JSON document (batch, locks, verify): <c>Lfs:MaxJsonBodyBytes</c>.</summary>
    LfsJson,

    /// <summary>Streamed through without being held (objects, git packs, hook input): no limit here.</summary>
    Streamed,
}
